package io.dynamotrigger.test;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamStatus;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import io.dynamotrigger.test.LocalDynamoDbTest.Topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@LocalDynamoDbTest(topology = @Topology(shards = 2))
class StreamIdentityTest {

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
	void recreatingATableGivesANewStreamArnWithNewShardIds() {
		String table = clients.createTable();
		String oldArn = clients.streamArn(table);
		List<String> oldShardIds = shardIds(oldArn);

		clients.dynamoDb.deleteTable(delete -> delete.tableName(table));
		clients.createTable(table);
		String newArn = clients.streamArn(table);

		assertThat(newArn).isNotEqualTo(oldArn);
		assertThat(shardIds(newArn)).hasSize(2).doesNotContainAnyElementsOf(oldShardIds);
	}

	@Test
	void reEnablingAStreamGivesANewStreamArnWithNewShardIds() {
		String table = clients.createTable();
		String oldArn = clients.streamArn(table);
		List<String> oldShardIds = shardIds(oldArn);

		disableStream(table);
		clients.dynamoDb.updateTable(update -> update.tableName(table)
			.streamSpecification(stream -> stream.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY)));
		String newArn = clients.streamArn(table);

		assertThat(newArn).isNotEqualTo(oldArn);
		assertThat(shardIds(newArn)).hasSize(2).doesNotContainAnyElementsOf(oldShardIds);
		assertThat(clients.describe(newArn).streamViewType()).isEqualTo(StreamViewType.KEYS_ONLY);
	}

	@Test
	void listStreamsListsATablesReplacedStreamsTooOldestFirst() {
		String table = clients.createTable();
		String first = clients.streamArn(table);
		disableStream(table);
		clients.dynamoDb.updateTable(update -> update.tableName(table)
			.streamSpecification(stream -> stream.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY)));
		String second = clients.streamArn(table);

		List<String> listed = clients.streams.listStreams(list -> list.tableName(table))
			.streams()
			.stream()
			.map(stream -> stream.streamArn())
			.toList();

		assertThat(listed).containsExactly(first, second);
	}

	@Test
	void disablingAStreamClosesItsShardsThatStayReadable() {
		String table = clients.createTable();
		clients.put(table, "item-1", 1);
		clients.put(table, "item-2", 2);
		String streamArn = clients.streamArn(table);

		disableStream(table);
		StreamDescription stream = clients.describe(streamArn);

		assertThat(stream.streamStatus()).isEqualTo(StreamStatus.DISABLED);
		assertThat(stream.shards()).hasSize(2)
			.allSatisfy(shard -> assertThat(shard.sequenceNumberRange().endingSequenceNumber()).isNotNull());
		assertThat(clients.readAll(streamArn)).hasSize(2);
		assertThat(stream.shards())
			.allSatisfy(shard -> assertThat(clients.read(streamArn, shard.shardId()).ended()).isTrue());
	}

	@Test
	void aTableWithADisabledStreamKeepsAcceptingWritesWithoutRecords() {
		String table = clients.createTable();
		String streamArn = clients.streamArn(table);
		disableStream(table);

		clients.put(table, "item", 1);

		TableDescription description = clients.dynamoDb.describeTable(describe -> describe.tableName(table)).table();
		assertThat(description.streamSpecification()).isNull();
		assertThat(description.latestStreamArn()).isEqualTo(streamArn);
		assertThat(clients.readAll(streamArn)).isEmpty();
	}

	@Test
	void aDeletedTablesStreamStaysReadableAndDisabled() {
		String table = clients.createTable();
		clients.put(table, "item", 1);
		String streamArn = clients.streamArn(table);

		clients.dynamoDb.deleteTable(delete -> delete.tableName(table));

		assertThat(clients.describe(streamArn).streamStatus()).isEqualTo(StreamStatus.DISABLED);
		assertThat(clients.readAll(streamArn)).hasSize(1);
	}

	@Test
	void anUnknownStreamIsResourceNotFound() {
		String streamArn = clients.streamArn(clients.createTable());
		String unknown = streamArn.substring(0, streamArn.lastIndexOf('/') + 1) + "2001-01-01T00:00:00.000";

		assertThatExceptionOfType(ResourceNotFoundException.class).isThrownBy(() -> clients.describe(unknown))
			.satisfies(ex -> assertThat(ex.statusCode()).isEqualTo(400));
	}

	@Test
	void anUnknownShardIsResourceNotFound() {
		String streamArn = clients.streamArn(clients.createTable());

		assertThatExceptionOfType(ResourceNotFoundException.class)
			.isThrownBy(() -> clients.streams.getShardIterator(iterator -> iterator.streamArn(streamArn)
				.shardId("shardId-00000000000000000000-00000000")
				.shardIteratorType(ShardIteratorType.TRIM_HORIZON)));
	}

	private static void disableStream(String table) {
		clients.dynamoDb.updateTable(update -> update.tableName(table).streamSpecification(stream -> stream.streamEnabled(false)));
	}

	private static List<String> shardIds(String streamArn) {
		return clients.shards(streamArn).stream().map(Shard::shardId).toList();
	}

}
