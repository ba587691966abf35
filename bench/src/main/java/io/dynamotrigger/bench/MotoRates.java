package io.dynamotrigger.bench;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * How fast the local endpoint itself is: single-threaded PutItem calls per second, and GetRecords calls per
 * second on an idle shard. When a consumer's figure comes close to these, the endpoint bounds it.
 */
final class MotoRates {

	private MotoRates() {
	}

	static double putsPerSecond(BenchTables tables, String table, int count) {
		long start = System.nanoTime();
		for (int i = 0; i < count; i++) {
			tables.put(table, "rate-" + i, i);
		}
		return count / seconds(start);
	}

	static double getRecordsPerSecond(DynamoDbClient dynamoDb, DynamoDbStreamsClient streams, String table, int count) {
		String streamArn = dynamoDb.describeTable((request) -> request.tableName(table)).table().latestStreamArn();
		String shardId = streams.describeStream((request) -> request.streamArn(streamArn))
			.streamDescription()
			.shards()
			.get(0)
			.shardId();
		String iterator = streams.getShardIterator((request) -> request.streamArn(streamArn)
			.shardId(shardId)
			.shardIteratorType(ShardIteratorType.LATEST)).shardIterator();
		long start = System.nanoTime();
		for (int i = 0; i < count; i++) {
			String current = iterator;
			iterator = streams.getRecords((request) -> request.shardIterator(current)).nextShardIterator();
		}
		return count / seconds(start);
	}

	private static double seconds(long startNanos) {
		return (System.nanoTime() - startNanos) / 1e9;
	}

}
