package io.dynamotrigger.samples.sca;

import io.awspring.cloud.dynamodb.DynamoDbTableNameResolver;
import io.awspring.cloud.dynamodb.DynamoDbTemplate;
import io.dynamotrigger.samples.support.LocalEndpointStarter;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;

/**
 * A trigger in an application on Spring Cloud AWS: region, credentials and the DynamoDB client are
 * Spring Cloud AWS's ({@code spring.cloud.aws.*}), and dynamo-trigger reads the stream and keeps its leases
 * in that region. New orders get a shipment. Run with no configuration it starts a local DynamoDB endpoint,
 * places three orders, waits for their shipments and exits (0 when all arrived).
 */
@SpringBootApplication
public class SpringCloudAwsApplication {

	public static void main(String[] args) {
		System.exit(SpringApplication.exit(application().run(args)));
	}

	/**
	 * The application as {@link #main} runs it.
	 * @return the application, not started
	 */
	static SpringApplication application() {
		SpringApplication application = new SpringApplication(SpringCloudAwsApplication.class);
		application.addListeners(LocalEndpointStarter.forSpringCloudAws());
		return application;
	}

	@Bean
	ShopTables shopTables(DynamoDbEnhancedClient dynamoDb, DynamoDbTableNameResolver names) {
		return new ShopTables(dynamoDb, names);
	}

	@Bean
	ShipOrdersTrigger shipOrdersTrigger(DynamoDbTemplate dynamoDb) {
		return new ShipOrdersTrigger(dynamoDb);
	}

	@Bean
	ShopWorkload shopWorkload(DynamoDbTemplate dynamoDb) {
		return new ShopWorkload(dynamoDb);
	}

}
