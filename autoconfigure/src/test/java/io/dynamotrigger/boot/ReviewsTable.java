package io.dynamotrigger.boot;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.dynamotrigger.test.LocalDynamoDb;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A uniquely named reviews table on the local endpoint, written with the plain SDK as a user's
 * application would.
 */
final class ReviewsTable {

	private static final AtomicInteger counter = new AtomicInteger();

	final String name = "Reviews" + counter.incrementAndGet() + "x" + System.nanoTime() % 100_000;

	final DynamoDbClient client;

	ReviewsTable(LocalDynamoDb local) {
		this.client = local.configure(DynamoDbClient.builder()).build();
	}

	ReviewsTable create(StreamViewType viewType) {
		this.client.createTable((table) -> {
			table.tableName(this.name)
				.billingMode(BillingMode.PAY_PER_REQUEST)
				.attributeDefinitions(attribute("productId"), attribute("reviewId"))
				.keySchema(KeySchemaElement.builder().attributeName("productId").keyType(KeyType.HASH).build(),
						KeySchemaElement.builder().attributeName("reviewId").keyType(KeyType.RANGE).build());
			if (viewType != null) {
				table.streamSpecification((stream) -> stream.streamEnabled(true).streamViewType(viewType));
			}
		});
		return this;
	}

	private static AttributeDefinition attribute(String name) {
		return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
	}

	void delete() {
		this.client.deleteTable((table) -> table.tableName(this.name));
	}

	void put(String productId, String reviewId, int rating, String text) {
		this.client.putItem((put) -> put.tableName(this.name)
			.item(Map.of("productId", s(productId), "reviewId", s(reviewId), "rating",
					AttributeValue.fromN(Integer.toString(rating)), "text", s(text))));
	}

	/**
	 * Writes one review per product, 25 to a BatchWriteItem call, batch after batch, writing again what
	 * a call left unprocessed: the local endpoint takes many more changes a second so than one call each.
	 */
	void putEach(List<String> productIds, String reviewId, int rating, String text) {
		for (int from = 0; from < productIds.size(); from += 25) {
			List<WriteRequest> writes = productIds.subList(from, Math.min(from + 25, productIds.size()))
				.stream()
				.map((productId) -> WriteRequest.builder()
					.putRequest((put) -> put.item(Map.of("productId", s(productId), "reviewId", s(reviewId), "rating",
							AttributeValue.fromN(Integer.toString(rating)), "text", s(text))))
					.build())
				.toList();
			Map<String, List<WriteRequest>> pending = Map.of(this.name, writes);
			while (!pending.isEmpty()) {
				Map<String, List<WriteRequest>> batch = pending;
				pending = this.client.batchWriteItem((write) -> write.requestItems(batch)).unprocessedItems();
			}
		}
	}

	void remove(String productId, String reviewId) {
		this.client.deleteItem(
				(delete) -> delete.tableName(this.name).key(Map.of("productId", s(productId), "reviewId", s(reviewId))));
	}

	private static AttributeValue s(String value) {
		return AttributeValue.fromS(value);
	}

}
