package io.dynamotrigger.bench;

import java.util.Map;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * Creates benchmark tables and writes their items.
 */
final class BenchTables {

	private static final String PAYLOAD = "x".repeat(100);

	private final DynamoDbClient dynamoDb;

	BenchTables(DynamoDbClient dynamoDb) {
		this.dynamoDb = dynamoDb;
	}

	void create(String table) {
		this.dynamoDb.createTable((create) -> create.tableName(table)
			.billingMode(BillingMode.PAY_PER_REQUEST)
			.attributeDefinitions((attribute) -> attribute.attributeName("id").attributeType(ScalarAttributeType.S))
			.keySchema((key) -> key.attributeName("id").keyType(KeyType.HASH))
			.streamSpecification((stream) -> stream.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
	}

	void put(String table, String id, long seq) {
		this.dynamoDb.putItem((put) -> put.tableName(table)
			.item(Map.of("id", AttributeValue.fromS(id), "seq", AttributeValue.fromN(Long.toString(seq)), "rating",
					AttributeValue.fromN(Long.toString(1 + seq % 5)), "payload", AttributeValue.fromS(PAYLOAD))));
	}

}
