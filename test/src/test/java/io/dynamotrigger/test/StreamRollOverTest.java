package io.dynamotrigger.test;

import java.math.BigInteger;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;

import io.dynamotrigger.test.LocalDynamoDbTest.Topology;

import static org.assertj.core.api.Assertions.assertThat;

@LocalDynamoDbTest(topology = @Topology(rollOverAfterRecords = 3))
class StreamRollOverTest {

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
	void aFullShardClosesAtItsLastRecordAndGetsOneOpenChild() {
		String table = clients.createTable();
		for (int value = 1; value <= 3; value++) {
			clients.put(table, "item", value);
		}
		String streamArn = clients.streamArn(table);

		List<Shard> shards = clients.shards(streamArn);

		assertThat(shards).hasSize(2);
		Shard parent = shards.get(0);
		Shard child = shards.get(1);
		List<Record> parentRecords = clients.read(streamArn, parent.shardId()).records();
		assertThat(parent.parentShardId()).isNull();
		assertThat(parent.sequenceNumberRange().endingSequenceNumber())
			.isEqualTo(parentRecords.get(2).dynamodb().sequenceNumber());
		assertThat(child.parentShardId()).isEqualTo(parent.shardId());
		assertThat(child.sequenceNumberRange().endingSequenceNumber()).isNull();
	}

	@Test
	void theChildStartsAfterItsParentEndsAndTakesTheNextRecords() {
		String table = clients.createTable();
		for (int value = 1; value <= 4; value++) {
			clients.put(table, "item", value);
		}
		String streamArn = clients.streamArn(table);
		List<Shard> shards = clients.shards(streamArn);
		Shard parent = shards.get(0);
		Shard child = shards.get(1);

		List<Record> childRecords = clients.read(streamArn, child.shardId()).records();

		assertThat(new BigInteger(child.sequenceNumberRange().startingSequenceNumber()))
			.isGreaterThan(new BigInteger(parent.sequenceNumberRange().endingSequenceNumber()));
		assertThat(childRecords).singleElement()
			.satisfies(record -> assertThat(record.dynamodb().newImage().get("value").n()).isEqualTo("4"));
	}

	@Test
	void readingAClosedShardEndsWithoutNextIteratorAfterItsLastRecord() {
		String table = clients.createTable();
		for (int value = 1; value <= 3; value++) {
			clients.put(table, "item", value);
		}
		String streamArn = clients.streamArn(table);
		String parentId = clients.shards(streamArn).get(0).shardId();
		String iterator = clients.trimHorizon(streamArn, parentId);

		GetRecordsResponse first = clients.streams.getRecords(get -> get.shardIterator(iterator).limit(2));
		GetRecordsResponse last = clients.streams
			.getRecords(get -> get.shardIterator(first.nextShardIterator()).limit(2));

		assertThat(first.records()).hasSize(2);
		assertThat(first.nextShardIterator()).isNotNull();
		assertThat(last.records()).hasSize(1);
		assertThat(last.nextShardIterator()).isNull();
	}

	@Test
	void readingAShardThatClosedEmptyEndsAtOnce() {
		String table = clients.createTable();
		for (int value = 1; value <= 3; value++) {
			clients.put(table, "item", value);
		}
		String streamArn = clients.streamArn(table);
		// The full shard's child has no record when the stream is disabled, which closes it.
		clients.dynamoDb.updateTable(update -> update.tableName(table)
			.streamSpecification(stream -> stream.streamEnabled(false)));
		Shard child = clients.shards(streamArn).get(1);

		GetRecordsResponse read = clients.streams
			.getRecords(get -> get.shardIterator(clients.trimHorizon(streamArn, child.shardId())));

		assertThat(child.sequenceNumberRange().endingSequenceNumber()).isNotNull();
		assertThat(read.records()).isEmpty();
		assertThat(read.nextShardIterator()).isNull();
	}

	@Test
	void readingAnOpenShardPastItsNewestRecordKeepsANextIterator() {
		String table = clients.createTable();
		clients.put(table, "item", 1);
		String streamArn = clients.streamArn(table);
		String iterator = clients.trimHorizon(streamArn, clients.shards(streamArn).get(0).shardId());

		GetRecordsResponse first = clients.streams.getRecords(get -> get.shardIterator(iterator));
		GetRecordsResponse next = clients.streams.getRecords(get -> get.shardIterator(first.nextShardIterator()));

		assertThat(first.records()).hasSize(1);
		assertThat(next.records()).isEmpty();
		assertThat(next.nextShardIterator()).isNotNull();
	}

}
