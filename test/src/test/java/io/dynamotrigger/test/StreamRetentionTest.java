package io.dynamotrigger.test;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;

import io.dynamotrigger.test.LocalDynamoDbTest.Topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@LocalDynamoDbTest(topology = @Topology(retention = "PT1S", iteratorExpiry = "PT2S"))
class StreamRetentionTest {

	private static final long PAST_RETENTION_MILLIS = 1_300;

	private static final long PAST_EXPIRY_MILLIS = 2_300;

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
	void recordsOlderThanTheRetentionAreTrimmed() throws Exception {
		String table = clients.createTable();
		clients.put(table, "old", 1);
		Thread.sleep(PAST_RETENTION_MILLIS);
		clients.put(table, "new", 2);

		assertThat(clients.readAll(clients.streamArn(table))).extracting(StreamClients::partitionKey)
			.containsExactly("new");
	}

	@Test
	void anIteratorAtATrimmedSequenceNumberIsTrimmedDataAccess() throws Exception {
		String table = clients.createTable();
		clients.put(table, "item", 1);
		String streamArn = clients.streamArn(table);
		Record record = clients.readAll(streamArn).get(0);
		String shardId = clients.shards(streamArn).get(0).shardId();
		Thread.sleep(PAST_RETENTION_MILLIS);

		assertThatExceptionOfType(TrimmedDataAccessException.class)
			.isThrownBy(() -> clients.streams.getShardIterator(iterator -> iterator.streamArn(streamArn)
				.shardId(shardId)
				.shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
				.sequenceNumber(record.dynamodb().sequenceNumber())))
			.satisfies(ex -> assertThat(ex.statusCode()).isEqualTo(400));
	}

	@Test
	void readingAnIteratorWhoseRecordsWereTrimmedSinceIsTrimmedDataAccess() throws Exception {
		String table = clients.createTable();
		clients.put(table, "item", 1);
		String streamArn = clients.streamArn(table);
		String iterator = clients.trimHorizon(streamArn, clients.shards(streamArn).get(0).shardId());
		Thread.sleep(PAST_RETENTION_MILLIS);

		assertThatExceptionOfType(TrimmedDataAccessException.class)
			.isThrownBy(() -> clients.streams.getRecords(get -> get.shardIterator(iterator)));
	}

	@Test
	void anIteratorOlderThanTheExpiryIsExpired() throws Exception {
		String table = clients.createTable();
		String streamArn = clients.streamArn(table);
		String iterator = clients.trimHorizon(streamArn, clients.shards(streamArn).get(0).shardId());
		Thread.sleep(PAST_EXPIRY_MILLIS);

		assertThatExceptionOfType(ExpiredIteratorException.class)
			.isThrownBy(() -> clients.streams.getRecords(get -> get.shardIterator(iterator)))
			.satisfies(ex -> {
				assertThat(ex.statusCode()).isEqualTo(400);
				assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("ExpiredIteratorException");
			});
	}

	@Test
	void aNextIteratorLastsAsLongAsTheExpiryFromTheReadThatReturnedIt() throws Exception {
		String table = clients.createTable();
		String streamArn = clients.streamArn(table);
		String iterator = clients.trimHorizon(streamArn, clients.shards(streamArn).get(0).shardId());
		Thread.sleep(1_200);
		String next = clients.streams.getRecords(get -> get.shardIterator(iterator)).nextShardIterator();
		Thread.sleep(1_200);

		GetRecordsResponse response = clients.streams.getRecords(get -> get.shardIterator(next));

		assertThat(response.nextShardIterator()).isNotNull();
	}

	@Test
	void aDisabledStreamsShardsDisappearOnceTheRetentionEnds() throws Exception {
		String table = clients.createTable();
		String streamArn = clients.streamArn(table);
		clients.dynamoDb.updateTable(update -> update.tableName(table).streamSpecification(stream -> stream.streamEnabled(false)));
		assertThat(clients.describe(streamArn).shards()).hasSize(1);

		Thread.sleep(PAST_RETENTION_MILLIS);

		assertThat(clients.describe(streamArn).shards()).isEmpty();
	}

}
