package io.dynamotrigger.samples.reviews;

import io.dynamotrigger.samples.support.LocalEndpointStarter;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Review aggregation: a {@code Reviews} table and a {@code ProductSummary} table that one
 * {@code @DynamoTrigger} keeps exact. Run with no configuration it starts a local DynamoDB endpoint, writes
 * reviews before the trigger starts (its backfill counts them) and after, verifies the summaries and exits (0
 * when they match).
 */
@SpringBootApplication
public class ReviewAggregationApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(ReviewAggregationApplication.class);
		application.addListeners(new LocalEndpointStarter());
		ConfigurableApplicationContext context = application.run(args);
		long closing = System.nanoTime();
		int exitCode = SpringApplication.exit(context);
		// After the close, when the logging system is shut down: on the console, for .ci/sample-matrix.
		System.out.printf("Closed the application context in %d ms%n", (System.nanoTime() - closing) / 1_000_000);
		System.exit(exitCode);
	}

	@Bean
	ReviewTables reviewTables(DynamoDbClient dynamoDb) {
		return new ReviewTables(dynamoDb).createIfAbsent();
	}

	@Bean
	ExistingReviews existingReviews(ReviewTables tables) {
		return new ExistingReviews(tables).write();
	}

	@Bean
	ReviewSummaryTrigger reviewSummaryTrigger(ReviewTables tables) {
		return new ReviewSummaryTrigger(tables);
	}

	@Bean
	ReviewWorkload reviewWorkload(ReviewTables tables, ReviewSummaryTrigger trigger) {
		return new ReviewWorkload(tables, trigger);
	}

}
