package io.dynamotrigger.samples.sca;

import io.awspring.cloud.dynamodb.DynamoDbTableNameResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.CreateTableEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * Creates the sample's tables when absent, with Spring Cloud AWS's enhanced client and table names, while
 * beans are created and so before the trigger checks its table. Only {@code order} has a stream.
 */
class ShopTables {

	private static final Logger log = LoggerFactory.getLogger(ShopTables.class);

	ShopTables(DynamoDbEnhancedClient dynamoDb, DynamoDbTableNameResolver names) {
		createIfAbsent(dynamoDb.table(names.resolve(Order.class), TableSchema.fromBean(Order.class)),
				CreateTableEnhancedRequest.builder()
					.streamSpecification(StreamSpecification.builder()
						.streamEnabled(true)
						.streamViewType(StreamViewType.NEW_IMAGE)
						.build())
					.build());
		createIfAbsent(dynamoDb.table(names.resolve(Shipment.class), TableSchema.fromBean(Shipment.class)),
				CreateTableEnhancedRequest.builder().build());
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
