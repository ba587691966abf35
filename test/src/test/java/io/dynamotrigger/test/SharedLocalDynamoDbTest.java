package io.dynamotrigger.test;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import static org.assertj.core.api.Assertions.assertThat;

@LocalDynamoDbTest
class SharedLocalDynamoDbTest {

	@Test
	void servesDynamoDbRequestsForATableWithAStream(LocalDynamoDb dynamoDb) {
		try (DynamoDbClient client = clientFor(dynamoDb)) {
			String table = createTableWithStream(client);
			Map<String, AttributeValue> item = Map.of("id", AttributeValue.fromS("review-1"),
					"stars", AttributeValue.fromN("5"));

			client.putItem(put -> put.tableName(table).item(item));

			assertThat(client.getItem(get -> get.tableName(table).key(Map.of("id", AttributeValue.fromS("review-1"))))
				.item()).isEqualTo(item);
			TableDescription description = client.describeTable(describe -> describe.tableName(table)).table();
			assertThat(description.latestStreamArn()).isNotNull();
			assertThat(description.streamSpecification().streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
		}
	}

	@Test
	void resetDeletesAllTables(LocalDynamoDb dynamoDb) {
		try (DynamoDbClient client = clientFor(dynamoDb)) {
			String table = createTableWithStream(client);

			dynamoDb.reset();

			assertThat(client.listTablesPaginator().tableNames()).doesNotContain(table);
		}
	}

	private static DynamoDbClient clientFor(LocalDynamoDb dynamoDb) {
		return dynamoDb.configure(DynamoDbClient.builder()).build();
	}

	private static String createTableWithStream(DynamoDbClient client) {
		String table = "reviews-" + UUID.randomUUID();
		client.createTable(create -> create.tableName(table)
			.attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
			.keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
			.billingMode(BillingMode.PAY_PER_REQUEST)
			.streamSpecification(stream -> stream.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
		return table;
	}

}
