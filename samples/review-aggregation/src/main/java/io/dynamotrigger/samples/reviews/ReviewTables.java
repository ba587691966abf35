package io.dynamotrigger.samples.reviews;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.CreateTableEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The sample's two tables. The application creates them when absent while beans are created, since
 * triggers check their table when the application starts.
 */
class ReviewTables {

	private static final Logger log = LoggerFactory.getLogger(ReviewTables.class);

	final DynamoDbTable<Review> reviews;

	final DynamoDbTable<ProductSummary> summaries;

	ReviewTables(DynamoDbClient dynamoDb) {
		DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoDb).build();
		this.reviews = enhanced.table("Reviews", TableSchema.fromBean(Review.class));
		this.summaries = enhanced.table("ProductSummary", TableSchema.fromBean(ProductSummary.class));
	}

	/**
	 * Creates the tables that do not exist yet. The application does this at startup; a Lambda function,
	 * whose tables the deployment creates, does not.
	 * @return these tables
	 */
	ReviewTables createIfAbsent() {
		createIfAbsent(this.reviews, CreateTableEnhancedRequest.builder()
			.streamSpecification(StreamSpecification.builder()
				.streamEnabled(true)
				.streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)
				.build())
			.build());
		createIfAbsent(this.summaries, CreateTableEnhancedRequest.builder().build());
		return this;
	}

	private static void createIfAbsent(DynamoDbTable<?> table, CreateTableEnhancedRequest request) {
		try {
			table.createTable(request);
			log.info("Created table {}", table.tableName());
		}
		catch (ResourceInUseException ex) {
			log.info("Table {} exists", table.tableName());
		}
	}

}
