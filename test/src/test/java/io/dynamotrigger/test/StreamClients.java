package io.dynamotrigger.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The real AWS SDK clients for one local server, and the few steps the stream topology tests repeat:
 * a table with a stream keyed by {@code pk}, writes, and reading shards to their end.
 */
final class StreamClients implements AutoCloseable {

	final DynamoDbClient dynamoDb;

	final DynamoDbStreamsClient streams;

	StreamClients(LocalDynamoDb server) {
		this.dynamoDb = server.configure(DynamoDbClient.builder()).build();
		this.streams = server.configure(DynamoDbStreamsClient.builder()).build();
	}

	/** Creates a table with a fresh name and a NEW_AND_OLD_IMAGES stream. */
	String createTable() {
		return createTable("topology-" + UUID.randomUUID());
	}

	String createTable(String name) {
		this.dynamoDb.createTable(create -> create.tableName(name)
			.keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
			.attributeDefinitions(AttributeDefinition.builder()
				.attributeName("pk")
				.attributeType(ScalarAttributeType.S)
				.build())
			.billingMode(BillingMode.PAY_PER_REQUEST)
			.streamSpecification(stream -> stream.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
		return name;
	}

	String streamArn(String table) {
		return this.dynamoDb.describeTable(describe -> describe.tableName(table)).table().latestStreamArn();
	}

	void put(String table, String pk, int value) {
		this.dynamoDb.putItem(put -> put.tableName(table)
			.item(Map.of("pk", AttributeValue.fromS(pk), "value", AttributeValue.fromN(Integer.toString(value)))));
	}

	StreamDescription describe(String streamArn) {
		return this.streams.describeStream(describe -> describe.streamArn(streamArn)).streamDescription();
	}

	/** All shards of the stream, read page by page as a consumer does. */
	List<Shard> shards(String streamArn) {
		List<Shard> shards = new ArrayList<>();
		String exclusiveStart = null;
		do {
			String start = exclusiveStart;
			DescribeStreamResponse page = this.streams
				.describeStream(describe -> describe.streamArn(streamArn).exclusiveStartShardId(start));
			shards.addAll(page.streamDescription().shards());
			exclusiveStart = page.streamDescription().lastEvaluatedShardId();
		}
		while (exclusiveStart != null);
		return shards;
	}

	String trimHorizon(String streamArn, String shardId) {
		return this.streams.getShardIterator(iterator -> iterator.streamArn(streamArn)
			.shardId(shardId)
			.shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
	}

	/**
	 * Reads a shard from its trim horizon until a read returns no next iterator (a closed shard's
	 * end) or no records (an open shard's newest record).
	 */
	ShardContent read(String streamArn, String shardId) {
		List<Record> records = new ArrayList<>();
		String iterator = trimHorizon(streamArn, shardId);
		while (true) {
			String current = iterator;
			GetRecordsResponse response = this.streams.getRecords(get -> get.shardIterator(current));
			records.addAll(response.records());
			iterator = response.nextShardIterator();
			if (iterator == null || !response.hasRecords() || response.records().isEmpty()) {
				return new ShardContent(records, iterator == null);
			}
		}
	}

	/** All records of all shards of the stream, shard by shard in the order DescribeStream lists them. */
	List<Record> readAll(String streamArn) {
		List<Record> records = new ArrayList<>();
		for (Shard shard : shards(streamArn)) {
			records.addAll(read(streamArn, shard.shardId()).records());
		}
		return records;
	}

	static String partitionKey(Record record) {
		return record.dynamodb().keys().get("pk").s();
	}

	@Override
	public void close() {
		this.streams.close();
		this.dynamoDb.close();
	}

	record ShardContent(List<Record> records, boolean ended) {
	}

}
