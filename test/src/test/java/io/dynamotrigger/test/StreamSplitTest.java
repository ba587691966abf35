package io.dynamotrigger.test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardFilterType;

import io.dynamotrigger.test.LocalDynamoDbTest.Topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@LocalDynamoDbTest(topology = @Topology(rollOverAfterRecords = 3, rollOver = StreamTopology.RollOver.SPLIT))
class StreamSplitTest {

	private static StreamClients clients;

	@BeforeAll
	static void connect(LocalDynamoDb dynamoDb) {
		clients = new StreamClients(dynamoDb);
	}

	@AfterAll
	static void disconnect() {
		clients.close();
	}

	@Test
	void aFullShardSplitsIntoTwoOpenChildren() {
		String table = clients.createTable();
		for (int value = 1; value <= 3; value++) {
			clients.put(table, "item-" + value, value);
		}

		List<Shard> shards = clients.shards(clients.streamArn(table));

		assertThat(shards).hasSize(3);
		Shard parent = shards.get(0);
		assertThat(parent.sequenceNumberRange().endingSequenceNumber()).isNotNull();
		assertThat(shards.subList(1, 3)).allSatisfy(child -> {
			assertThat(child.parentShardId()).isEqualTo(parent.shardId());
			assertThat(child.sequenceNumberRange().endingSequenceNumber()).isNull();
		});
	}

	@Test
	void changesOfOneItemStayInOneLineageInOrder() {
		String table = clients.createTable();
		for (int value = 1; value <= 12; value++) {
			clients.put(table, "item", value);
			clients.put(table, "other-" + value, value);
		}
		String streamArn = clients.streamArn(table);
		Map<String, String> parentOf = new HashMap<>();
		List<String> shardsWithItem = new ArrayList<>();
		List<Integer> values = new ArrayList<>();

		for (Shard shard : clients.shards(streamArn)) {
			parentOf.put(shard.shardId(), shard.parentShardId());
			List<Integer> itemValues = clients.read(streamArn, shard.shardId())
				.records()
				.stream()
				.filter(record -> StreamClients.partitionKey(record).equals("item"))
				.map(record -> Integer.valueOf(record.dynamodb().newImage().get("value").n()))
				.toList();
			if (!itemValues.isEmpty()) {
				shardsWithItem.add(shard.shardId());
				values.addAll(itemValues);
			}
		}

		assertThat(values).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
		assertThat(shardsWithItem).hasSizeGreaterThan(1);
		for (int i = 1; i < shardsWithItem.size(); i++) {
			assertThat(isAncestor(parentOf, shardsWithItem.get(i - 1), shardsWithItem.get(i))).isTrue();
		}
	}

	@Test
	void describeStreamPagesWithLimitAndLastEvaluatedShardId() {
		String table = clients.createTable();
		for (int value = 1; value <= 15; value++) {
			clients.put(table, "item-" + value, value);
		}
		String streamArn = clients.streamArn(table);
		List<Shard> all = clients.describe(streamArn).shards();
		List<Shard> paged = new ArrayList<>();
		List<Integer> pageSizes = new ArrayList<>();

		String exclusiveStart = null;
		do {
			String start = exclusiveStart;
			DescribeStreamResponse page = clients.streams
				.describeStream(describe -> describe.streamArn(streamArn).limit(2).exclusiveStartShardId(start));
			paged.addAll(page.streamDescription().shards());
			pageSizes.add(page.streamDescription().shards().size());
			exclusiveStart = page.streamDescription().lastEvaluatedShardId();
		}
		while (exclusiveStart != null);

		assertThat(all).hasSizeGreaterThan(4);
		assertThat(paged).isEqualTo(all);
		assertThat(pageSizes).allSatisfy(size -> assertThat(size).isBetween(1, 2));
		assertThat(pageSizes).hasSize((all.size() + 1) / 2);
	}

	@Test
	void describeStreamRejectsALimitAboveTheServiceMaximumAsValidationException() {
		String streamArn = clients.streamArn(clients.createTable());

		assertThatExceptionOfType(DynamoDbException.class)
			.isThrownBy(() -> clients.streams.describeStream(describe -> describe.streamArn(streamArn).limit(101)))
			.satisfies(ex -> {
				assertThat(ex.statusCode()).isEqualTo(400);
				assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
			});
	}

	@Test
	void describeStreamWithTheChildShardsFilterListsTheChildrenOfAShard() {
		String table = clients.createTable();
		for (int value = 1; value <= 3; value++) {
			clients.put(table, "item-" + value, value);
		}
		String streamArn = clients.streamArn(table);
		List<Shard> shards = clients.shards(streamArn);

		List<Shard> children = clients.streams
			.describeStream(describe -> describe.streamArn(streamArn)
				.shardFilter(filter -> filter.type(ShardFilterType.CHILD_SHARDS).shardId(shards.get(0).shardId())))
			.streamDescription()
			.shards();

		assertThat(children).isEqualTo(shards.subList(1, 3));
	}

	@Test
	void everyRecordIsReadOnceFromTheShardsOfASplitStream() {
		String table = clients.createTable();
		for (int value = 1; value <= 30; value++) {
			clients.put(table, "item-" + (value % 7), value);
		}

		List<Record> records = clients.readAll(clients.streamArn(table));

		assertThat(records).extracting(record -> record.dynamodb().newImage().get("value").n())
			.hasSize(30)
			.doesNotHaveDuplicates();
	}

	private static boolean isAncestor(Map<String, String> parentOf, String ancestor, String shard) {
		for (String parent = parentOf.get(shard); parent != null; parent = parentOf.get(parent)) {
			if (parent.equals(ancestor)) {
				return true;
			}
		}
		return false;
	}

}
