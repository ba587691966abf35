package io.dynamotrigger.samples.feed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import io.dynamotrigger.samples.support.LocalEndpointStarter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.CreateTableEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * Analytics feed: every change of an {@code Orders} table appended to hourly JSON-lines files for a data
 * lake, and the orders placed per minute (a tumbling window). Run with no configuration it starts a local DynamoDB endpoint, places, pays, ships, discounts and
 * cancels orders, checks the feed against the writes and the table, prints a report and exits (0 when all
 * match).
 */
@SpringBootApplication
public class AnalyticsFeedApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(AnalyticsFeedApplication.class);
		application.addListeners(new LocalEndpointStarter());
		System.exit(SpringApplication.exit(application.run(args)));
	}

	/**
	 * The {@code Orders} table, created when absent while beans are created, before the trigger checks it.
	 */
	@Bean
	DynamoDbTable<Order> orders(DynamoDbClient dynamoDb) {
		DynamoDbTable<Order> orders = DynamoDbEnhancedClient.builder()
			.dynamoDbClient(dynamoDb)
			.build()
			.table("Orders", TableSchema.fromBean(Order.class));
		try {
			orders.createTable(CreateTableEnhancedRequest.builder()
				.streamSpecification(StreamSpecification.builder()
					.streamEnabled(true)
					.streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)
					.build())
				.build());
		}
		catch (ResourceInUseException ex) {
			// It exists: the feed starts at the oldest record the stream still has.
		}
		return orders;
	}

	@Bean
	OrderChangeFeed orderChangeFeed(@Value("${analytics-feed.directory}") Path directory) throws IOException {
		Files.createDirectories(directory);
		try (Stream<Path> files = Files.list(directory)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".jsonl")).toList()) {
				Files.delete(file);
			}
		}
		return new OrderChangeFeed(directory);
	}

	@Bean
	OrderTotalsPerWindow orderTotalsPerWindow() {
		return new OrderTotalsPerWindow();
	}

	@Bean
	FeedWorkload feedWorkload(DynamoDbTable<Order> orders, @Value("${analytics-feed.directory}") Path directory,
			OrderTotalsPerWindow totals, @Value("${analytics-feed.window}") Duration window) {
		return new FeedWorkload(orders, directory, totals, window);
	}

}
