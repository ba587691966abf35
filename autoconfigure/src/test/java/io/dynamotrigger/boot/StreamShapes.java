package io.dynamotrigger.boot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.dynamotrigger.test.LocalDynamoDb;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * What a test reads back from the local endpoint about a table's stream: its shards, with their lineage,
 * and the checkpoints of its KCL lease table.
 */
final class StreamShapes implements AutoCloseable {

	private final DynamoDbClient dynamoDb;

	private final DynamoDbStreamsClient streams;

	StreamShapes(LocalDynamoDb local) {
		this.dynamoDb = local.configure(DynamoDbClient.builder()).build();
		this.streams = local.configure(DynamoDbStreamsClient.builder()).build();
	}

	/**
	 * The ARN of the table's current stream.
	 */
	String streamArn(String table) {
		return this.dynamoDb.describeTable((request) -> request.tableName(table)).table().latestStreamArn();
	}

	/**
	 * Every shard of a stream still described (closed shards disappear once the retention has passed).
	 */
	List<Shard> shards(String streamArn) {
		List<Shard> shards = new ArrayList<>();
		String start = null;
		do {
			String exclusiveStart = start;
			DescribeStreamResponse response = this.streams.describeStream(
					(request) -> request.streamArn(streamArn).exclusiveStartShardId(exclusiveStart));
			shards.addAll(response.streamDescription().shards());
			start = response.streamDescription().lastEvaluatedShardId();
		}
		while (start != null);
		return shards;
	}

	/**
	 * The shards of a stream that are closed: they have an ending sequence number.
	 */
	List<String> closedShards(String streamArn) {
		return shards(streamArn).stream()
			.filter((shard) -> shard.sequenceNumberRange().endingSequenceNumber() != null)
			.map(Shard::shardId)
			.toList();
	}

	/**
	 * The checkpoint of each lease in a KCL lease table, by lease key (the shard id).
	 */
	Map<String, String> checkpoints(String leaseTable) {
		Map<String, String> checkpoints = new HashMap<>();
		for (Map<String, AttributeValue> lease : this.dynamoDb.scanPaginator((scan) -> scan.tableName(leaseTable))
			.items()) {
			// A lease of the shared application (multi-stream mode) names its shard apart from its key.
			AttributeValue key = lease.containsKey("shardId") ? lease.get("shardId") : lease.get("leaseKey");
			AttributeValue checkpoint = lease.get("checkpoint");
			if (key != null && checkpoint != null) {
				checkpoints.put(key.s(), checkpoint.s());
			}
		}
		return checkpoints;
	}

	@Override
	public void close() {
		this.dynamoDb.close();
		this.streams.close();
	}

}
