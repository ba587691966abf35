package com.example.notes;

import java.time.Duration;
import java.util.Map;

import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

@LocalDynamoDbTest
@SpringBootTest
class NotesApplicationTests {

	@Autowired
	NotesApplication application;

	@BeforeAll
	static void createNotesTable(LocalDynamoDb dynamoDb) {
		try (DynamoDbClient client = dynamoDb.configure(DynamoDbClient.builder()).build()) {
			client.createTable((table) -> table.tableName("Notes")
				.keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
				.attributeDefinitions(AttributeDefinition.builder()
					.attributeName("id")
					.attributeType(ScalarAttributeType.S)
					.build())
				.billingMode(BillingMode.PAY_PER_REQUEST)
				.streamSpecification((stream) -> stream.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
		}
	}

	@Test
	void triggerIsCalledForANewNote(LocalDynamoDb dynamoDb) throws InterruptedException {
		try (DynamoDbClient client = dynamoDb.configure(DynamoDbClient.builder()).build()) {
			client.putItem((put) -> put.tableName("Notes")
				.item(Map.of("id", AttributeValue.fromS("n-1"), "text", AttributeValue.fromS("hello"))));
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (this.application.received.isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		assertThat(this.application.received).containsExactly("hello");
	}

}
