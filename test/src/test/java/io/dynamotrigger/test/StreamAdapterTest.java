package io.dynamotrigger.test;

import java.util.ArrayList;
import java.util.List;

import com.amazonaws.services.dynamodbv2.streamsadapter.AmazonDynamoDBStreamsAdapterClient;
import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsGetRecordsResponseAdapter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsRequest;
import software.amazon.awssdk.services.dynamodb.model.ShardFilterType;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import io.dynamotrigger.test.LocalDynamoDbTest.Topology;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DynamoDB Streams Kinesis Adapter, which KCL reads streams through, on a stream with several
 * shards that split: it must list the lineage and read every shard to its end.
 */
@LocalDynamoDbTest(topology = @Topology(shards = 2, rollOverAfterRecords = 4, rollOver = StreamTopology.RollOver.SPLIT))
class StreamAdapterTest {

	private static StreamClients clients;

	private static AmazonDynamoDBStreamsAdapterClient adapter;

	private static String streamArn;

	@BeforeAll
	static void writeRecords(LocalDynamoDb dynamoDb) {
		clients = new StreamClients(dynamoDb);
		adapter = new AmazonDynamoDBStreamsAdapterClient(clients.streams, Region.of(dynamoDb.region()));
		String table = clients.createTable();
		for (int value = 0; value < 40; value++) {
			clients.put(table, "item-" + (value % 9), value);
		}
		streamArn = clients.streamArn(table);
	}

	@AfterAll
	static void disconnect() {
		clients.close();
	}

	@Test
	void listsEveryShardWithItsParentAndEndingSequenceNumber() throws Exception {
		List<Shard> shards = new ArrayList<>();
		String exclusiveStart = null;
		DescribeStreamResponse page;
		do {
			String start = exclusiveStart;
			page = adapter.describeStream(describe -> describe.streamName(streamArn).limit(3).exclusiveStartShardId(start))
				.get();
			shards.addAll(page.streamDescription().shards());
			exclusiveStart = shards.get(shards.size() - 1).shardId();
		}
		while (page.streamDescription().hasMoreShards());

		List<software.amazon.awssdk.services.dynamodb.model.Shard> expected = clients.shards(streamArn);
		assertThat(shards).hasSize(expected.size()).hasSizeGreaterThan(4);
		for (int i = 0; i < shards.size(); i++) {
			assertThat(shards.get(i).shardId()).isEqualTo(expected.get(i).shardId());
			assertThat(shards.get(i).parentShardId()).isEqualTo(expected.get(i).parentShardId());
			assertThat(shards.get(i).sequenceNumberRange().endingSequenceNumber())
				.isEqualTo(expected.get(i).sequenceNumberRange().endingSequenceNumber());
		}
	}

	@Test
	void findsTheChildrenOfAShardThroughTheShardFilter() {
		software.amazon.awssdk.services.dynamodb.model.Shard parent = clients.shards(streamArn)
			.stream()
			.filter(shard -> shard.sequenceNumberRange().endingSequenceNumber() != null)
			.findFirst()
			.orElseThrow();

		DescribeStreamResponse children = adapter.describeStreamWithFilter(streamArn,
				software.amazon.awssdk.services.dynamodb.model.ShardFilter.builder()
					.type(ShardFilterType.CHILD_SHARDS)
					.shardId(parent.shardId())
					.build(),
				null);

		assertThat(children.streamDescription().shards()).hasSize(2)
			.allSatisfy(child -> assertThat(child.parentShardId()).isEqualTo(parent.shardId()));
	}

	@Test
	void readsEveryRecordOnceAndEndsEveryClosedShard() throws Exception {
		int records = 0;
		for (software.amazon.awssdk.services.dynamodb.model.Shard shard : clients.shards(streamArn)) {
			boolean closed = shard.sequenceNumberRange().endingSequenceNumber() != null;
			String iterator = adapter.getShardIterator(get -> get.streamName(streamArn)
				.shardId(shard.shardId())
				.shardIteratorType(ShardIteratorType.TRIM_HORIZON)).get().shardIterator();
			while (iterator != null) {
				String current = iterator;
				DynamoDBStreamsGetRecordsResponseAdapter response = adapter
					.getDynamoDBStreamsRecords(GetRecordsRequest.builder().shardIterator(current).build())
					.get();
				records += response.records().size();
				iterator = response.nextShardIterator();
				if (!closed && response.records().isEmpty()) {
					break;
				}
			}
		}

		assertThat(records).isEqualTo(40);
	}

}
