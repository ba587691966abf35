package io.dynamotrigger.test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import io.dynamotrigger.test.LocalDynamoDbTest.Topology;

import static org.assertj.core.api.Assertions.assertThat;

@LocalDynamoDbTest(topology = @Topology(shards = 4))
class StreamShardsTest {

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
	void aClassWithATopologyGetsAServerOfItsOwn(LocalDynamoDb dynamoDb) {
		assertThat(dynamoDb).isNotSameAs(LocalDynamoDb.shared());
		assertThat(System.getProperty("dynamo-trigger.aws.endpoint")).isEqualTo(dynamoDb.endpoint().toString());
	}

	@Nested
	class WithoutATopologyOfItsOwn {

		@Test
		void aNestedClassRunsAgainstItsEnclosingClassesServer(LocalDynamoDb dynamoDb) {
			assertThat(dynamoDb).isNotSameAs(LocalDynamoDb.shared());
			assertThat(System.getProperty("dynamo-trigger.aws.endpoint")).isEqualTo(dynamoDb.endpoint().toString());
			assertThat(clients.shards(clients.streamArn(clients.createTable()))).hasSize(4);
		}

	}

	@Test
	void everyStreamStartsWithTheConfiguredNumberOfOpenRootShards() {
		String streamArn = clients.streamArn(clients.createTable());

		List<Shard> shards = clients.shards(streamArn);

		assertThat(shards).hasSize(4);
		assertThat(shards).allSatisfy(shard -> {
			assertThat(shard.parentShardId()).isNull();
			assertThat(shard.sequenceNumberRange().endingSequenceNumber()).isNull();
		});
	}

	@Test
	void changesOfOnePartitionKeyGoToOneShardInOrder() {
		String table = clients.createTable();
		for (int value = 1; value <= 5; value++) {
			clients.put(table, "item-a", value);
			clients.put(table, "other-" + value, value);
		}
		String streamArn = clients.streamArn(table);

		List<List<Integer>> valuesPerShard = new ArrayList<>();
		for (Shard shard : clients.shards(streamArn)) {
			List<Integer> values = clients.read(streamArn, shard.shardId())
				.records()
				.stream()
				.filter(record -> StreamClients.partitionKey(record).equals("item-a"))
				.map(record -> Integer.valueOf(record.dynamodb().newImage().get("value").n()))
				.toList();
			if (!values.isEmpty()) {
				valuesPerShard.add(values);
			}
		}

		assertThat(valuesPerShard).containsExactly(List.of(1, 2, 3, 4, 5));
	}

	@Test
	void partitionKeysSpreadOverAllShards() {
		String table = clients.createTable();
		for (int key = 0; key < 40; key++) {
			clients.put(table, "key-" + key, key);
		}
		String streamArn = clients.streamArn(table);

		List<Integer> recordsPerShard = clients.shards(streamArn)
			.stream()
			.map(shard -> clients.read(streamArn, shard.shardId()).records().size())
			.toList();

		assertThat(recordsPerShard).hasSize(4).allSatisfy(count -> assertThat(count).isPositive());
		assertThat(recordsPerShard.stream().mapToInt(Integer::intValue).sum()).isEqualTo(40);
	}

	@Test
	void sequenceNumbersAreUniqueAndIncreaseInWriteOrderAcrossShards() {
		String table = clients.createTable();
		for (int key = 0; key < 20; key++) {
			clients.put(table, "key-" + key, key);
		}

		Map<Integer, BigInteger> sequenceNumberByValue = clients.readAll(clients.streamArn(table))
			.stream()
			.collect(Collectors.toMap(record -> Integer.valueOf(record.dynamodb().newImage().get("value").n()),
					record -> new BigInteger(record.dynamodb().sequenceNumber())));

		assertThat(sequenceNumberByValue).hasSize(20);
		List<BigInteger> inWriteOrder = new ArrayList<>();
		for (int value = 0; value < 20; value++) {
			inWriteOrder.add(sequenceNumberByValue.get(value));
		}
		assertThat(inWriteOrder).isSorted().doesNotHaveDuplicates();
	}

	@Test
	void shardIdsAndSequenceNumbersHaveTheServiceFormatAndDifferBetweenStreams() {
		String first = clients.createTable();
		String second = clients.createTable();
		clients.put(first, "same-key", 1);
		clients.put(second, "same-key", 1);

		Set<String> shardIds = new HashSet<>();
		Set<String> sequenceNumbers = new HashSet<>();
		for (String table : List.of(first, second)) {
			String streamArn = clients.streamArn(table);
			for (Shard shard : clients.shards(streamArn)) {
				assertThat(shard.shardId()).matches("shardId-\\d{20}-[0-9a-f]{8}");
				assertThat(shard.sequenceNumberRange().startingSequenceNumber()).matches("\\d{21}");
				shardIds.add(shard.shardId());
			}
			for (Record record : clients.readAll(streamArn)) {
				assertThat(record.dynamodb().sequenceNumber()).matches("\\d{21}");
				sequenceNumbers.add(record.dynamodb().sequenceNumber());
			}
		}

		assertThat(shardIds).hasSize(8);
		assertThat(sequenceNumbers).hasSize(2);
	}

	@Test
	void recordsCarryWhatMotoPutsInThem() {
		String table = clients.createTable();
		clients.put(table, "item", 1);
		clients.put(table, "item", 2);
		clients.dynamoDb.deleteItem(delete -> delete.tableName(table).key(Map.of("pk", AttributeValue.fromS("item"))));

		List<Record> records = clients.readAll(clients.streamArn(table));

		assertThat(records).extracting(Record::eventName)
			.containsExactly(OperationType.INSERT, OperationType.MODIFY, OperationType.REMOVE);
		assertThat(records).allSatisfy(record -> {
			assertThat(record.eventID()).isNotBlank();
			assertThat(record.eventSource()).isEqualTo("aws:dynamodb");
			assertThat(record.dynamodb().keys()).isEqualTo(Map.of("pk", AttributeValue.fromS("item")));
			assertThat(record.dynamodb().streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
			assertThat(record.dynamodb().approximateCreationDateTime()).isNotNull();
			assertThat(record.dynamodb().sizeBytes()).isPositive();
		});
		assertThat(records.get(1).dynamodb().oldImage().get("value").n()).isEqualTo("1");
		assertThat(records.get(1).dynamodb().newImage().get("value").n()).isEqualTo("2");
		assertThat(records.get(2).dynamodb().hasNewImage()).isFalse();
	}

}
