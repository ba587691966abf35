package io.dynamotrigger.lease;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.kinesis.leases.Lease;
import software.amazon.kinesis.leases.dynamodb.DynamoDBLeaseSerializer;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which shards wait for a worker after a shard ended on this instance, read from a lease table on the local
 * endpoint whose leases are written the way KCL writes them (KCL's own lease serializer).
 */
@LocalDynamoDbTest
class ShardHandOffWatchTests {

	private static final AtomicInteger tables = new AtomicInteger();

	private static final Instant ENDED_AT = Instant.parse("2026-05-01T10:15:30Z");

	private final LastShardEnd lastEnd = new LastShardEnd();

	private DynamoDbAsyncClient dynamoDb;

	private String leaseTable;

	private ShardHandOffWatch watch;

	@BeforeEach
	void createLeaseTable(LocalDynamoDb local) {
		this.dynamoDb = local.configure(DynamoDbAsyncClient.builder()).build();
		this.leaseTable = "HandOffLeases" + tables.incrementAndGet();
		this.dynamoDb.createTable((table) -> table.tableName(this.leaseTable)
			.keySchema(KeySchemaElement.builder().attributeName("leaseKey").keyType(KeyType.HASH).build())
			.attributeDefinitions(AttributeDefinition.builder()
				.attributeName("leaseKey")
				.attributeType(ScalarAttributeType.S)
				.build())
			.billingMode(BillingMode.PAY_PER_REQUEST)).join();
		this.watch = new ShardHandOffWatch(new LeaseTableScan(this.dynamoDb, this.leaseTable, Clock.systemUTC()));
	}

	@AfterEach
	void deleteLeaseTable() {
		this.dynamoDb.deleteTable((table) -> table.tableName(this.leaseTable)).join();
		this.dynamoDb.close();
	}

	@Test
	void childShardsWhoseLeasesNoWorkerHoldsWaitWhileTheInstanceIsIdleAfterTheirParentEnded() {
		lease("parent", null, ExtendedSequenceNumber.SHARD_END);
		lease("child-1", null, ExtendedSequenceNumber.TRIM_HORIZON, "parent");
		lease("child-2", "worker-b", ExtendedSequenceNumber.TRIM_HORIZON, "parent");
		lease("other", null, new ExtendedSequenceNumber("42"));
		this.lastEnd.ended("parent", ENDED_AT);

		ShardHandOff handOff = this.watch.handOff(this.lastEnd, false);

		assertThat(handOff).isEqualTo(new ShardHandOff("parent", ENDED_AT, List.of("child-1", "other")));
	}

	@Test
	void nothingWaitsWhileTheInstanceHoldsAShard() {
		lease("child-1", null, ExtendedSequenceNumber.TRIM_HORIZON, "parent");
		this.lastEnd.ended("parent", ENDED_AT);

		assertThat(this.watch.handOff(this.lastEnd, true)).isNull();
	}

	@Test
	void nothingWaitsWithoutAShardEndOnThisInstance() {
		lease("child-1", null, ExtendedSequenceNumber.TRIM_HORIZON, "parent");

		assertThat(this.watch.handOff(this.lastEnd, false)).isNull();
	}

	@Test
	void theEndIsForgottenOnceItsChildrenAreHeldOrFinished() {
		lease("parent", null, ExtendedSequenceNumber.SHARD_END);
		lease("child-1", "worker-b", ExtendedSequenceNumber.TRIM_HORIZON, "parent");
		lease("child-2", null, ExtendedSequenceNumber.SHARD_END, "parent");
		this.lastEnd.ended("parent", ENDED_AT);

		assertThat(this.watch.handOff(this.lastEnd, false)).isNull();
		assertThat(this.lastEnd.get()).isNull();
	}

	@Test
	void theEndIsKeptWhileKclHasNotCreatedTheChildLeasesYet() {
		lease("parent", null, ExtendedSequenceNumber.SHARD_END);
		this.lastEnd.ended("parent", ENDED_AT);

		assertThat(this.watch.handOff(this.lastEnd, false))
			.isEqualTo(new ShardHandOff("parent", ENDED_AT, List.of()));
		assertThat(this.lastEnd.get()).isNotNull();
	}

	@Test
	void anUnreadableLeaseTableTellsNothing() {
		this.lastEnd.ended("parent", ENDED_AT);
		ShardHandOffWatch missingTable = new ShardHandOffWatch(
				new LeaseTableScan(this.dynamoDb, this.leaseTable + "-missing", Clock.systemUTC()));

		assertThat(missingTable.handOff(this.lastEnd, false)).isNull();
		assertThat(this.lastEnd.get()).isNotNull();
	}

	private void lease(String shardId, String owner, ExtendedSequenceNumber checkpoint, String... parents) {
		Lease lease = new Lease();
		lease.leaseKey(shardId);
		lease.leaseOwner(owner);
		lease.leaseCounter(0L);
		lease.ownerSwitchesSinceCheckpoint(0L);
		lease.checkpoint(checkpoint);
		lease.parentShardIds(List.of(parents));
		this.dynamoDb.putItem((item) -> item.tableName(this.leaseTable)
			.item(new DynamoDBLeaseSerializer().toDynamoRecord(lease))).join();
	}

}
