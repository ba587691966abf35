package io.dynamotrigger.test;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.Shard;

import static org.assertj.core.api.Assertions.assertThat;

class StreamTopologyDefaultsTest {

	@Test
	void theSharedServerKeepsMotosOwnSingleShardStream() {
		try (StreamClients clients = new StreamClients(LocalDynamoDb.shared())) {
			String first = clients.streamArn(clients.createTable());
			String second = clients.streamArn(clients.createTable());

			List<Shard> firstShards = clients.shards(first);
			List<Shard> secondShards = clients.shards(second);

			assertThat(firstShards).singleElement()
				.satisfies(shard -> assertThat(shard.sequenceNumberRange().endingSequenceNumber()).isNull());
			// moto's fixed shard id, the same for every stream: what the topology extension replaces.
			assertThat(secondShards).singleElement()
				.satisfies(shard -> assertThat(shard.shardId()).isEqualTo(firstShards.get(0).shardId()));
		}
	}

	@Test
	void theDefaultTopologyHasOneShardThatNeverCloses() {
		try (LocalDynamoDb dynamoDb = LocalDynamoDb.start(StreamTopology.defaults());
				StreamClients clients = new StreamClients(dynamoDb)) {
			String table = clients.createTable();
			for (int value = 0; value < 50; value++) {
				clients.put(table, "item-" + value, value);
			}
			String streamArn = clients.streamArn(table);

			List<Shard> shards = clients.shards(streamArn);
			StreamClients.ShardContent content = clients.read(streamArn, shards.get(0).shardId());

			assertThat(shards).singleElement().satisfies(shard -> {
				assertThat(shard.parentShardId()).isNull();
				assertThat(shard.sequenceNumberRange().endingSequenceNumber()).isNull();
			});
			assertThat(content.records()).hasSize(50);
			assertThat(content.ended()).isFalse();
		}
	}

	@Test
	void theDefaultsAreTheServicesRetentionAndIteratorExpiryWithoutRollOver() {
		StreamTopology defaults = StreamTopology.defaults();

		assertThat(defaults.shards()).isEqualTo(1);
		assertThat(defaults.rollOverAfterRecords()).isZero();
		assertThat(defaults.rollOverAfter()).isZero();
		assertThat(defaults.retention()).isEqualTo(Duration.ofHours(24));
		assertThat(defaults.iteratorExpiry()).isEqualTo(Duration.ofMinutes(15));
	}

}
