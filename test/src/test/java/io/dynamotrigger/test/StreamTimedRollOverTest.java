package io.dynamotrigger.test;

import java.util.List;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.Shard;

import io.dynamotrigger.test.LocalDynamoDbTest.Topology;

import static org.assertj.core.api.Assertions.assertThat;

@LocalDynamoDbTest(topology = @Topology(rollOverAfter = "PT1S", rollOver = StreamTopology.RollOver.SPLIT))
class StreamTimedRollOverTest {

	@Test
	void aShardClosesOnceItIsOlderThanTheRollOverAgeAndGetsOneChildEvenWhenFullShardsSplit(LocalDynamoDb dynamoDb) throws Exception {
		try (StreamClients clients = new StreamClients(dynamoDb)) {
			String table = clients.createTable();
			clients.put(table, "item", 1);
			String streamArn = clients.streamArn(table);
			assertThat(clients.shards(streamArn)).hasSize(1);

			Thread.sleep(1_500);

			// One roll-over per second since the table was created: a chain of closed shards and an open one.
			List<Shard> shards = clients.shards(streamArn);
			assertThat(shards).hasSizeGreaterThanOrEqualTo(2);
			for (int i = 1; i < shards.size(); i++) {
				assertThat(shards.get(i).parentShardId()).isEqualTo(shards.get(i - 1).shardId());
				assertThat(shards.get(i - 1).sequenceNumberRange().endingSequenceNumber()).isNotNull();
			}
			assertThat(shards.get(shards.size() - 1).sequenceNumberRange().endingSequenceNumber()).isNull();
			assertThat(clients.read(streamArn, shards.get(0).shardId()).records()).hasSize(1);
		}
	}

}
