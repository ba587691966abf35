package io.dynamotrigger.lease;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.dynamotrigger.SettableClock;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.kinesis.leases.Lease;
import software.amazon.kinesis.leases.dynamodb.DynamoDBLeaseSerializer;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which leases a worker holds but stopped renewing, read from a lease table on the local endpoint whose
 * leases are written the way KCL writes them (KCL's own lease serializer), and the leader lock as the lock
 * client stores it, with a clock the tests move.
 */
@LocalDynamoDbTest
class TakeoverWatchTests {

	private static final AtomicInteger tables = new AtomicInteger();

	/** The failover time plus the lease assignment interval, as the registry passes them. */
	private static final Duration ORPHANED_AFTER = Duration.ofSeconds(10);

	/** Longer than the lease table scan's 5 s cache, so that each step reads the table again. */
	private static final Duration STEP = Duration.ofSeconds(6);

	private final SettableClock clock = new SettableClock();

	private DynamoDbAsyncClient dynamoDb;

	private String leaseTable;

	private TakeoverWatch watch;

	@BeforeEach
	void createTables(LocalDynamoDb local) {
		this.dynamoDb = local.configure(DynamoDbAsyncClient.builder()).build();
		this.leaseTable = "TakeoverLeases" + tables.incrementAndGet();
		createTable(this.leaseTable, "leaseKey");
		createTable(this.leaseTable + "-CoordinatorState", "key");
		this.watch = new TakeoverWatch(new LeaseTableScan(this.dynamoDb, this.leaseTable, this.clock), this.dynamoDb,
				this.leaseTable + "-CoordinatorState", ORPHANED_AFTER);
	}

	@AfterEach
	void deleteTables() {
		this.dynamoDb.deleteTable((table) -> table.tableName(this.leaseTable)).join();
		this.dynamoDb.deleteTable((table) -> table.tableName(this.leaseTable + "-CoordinatorState")).join();
		this.dynamoDb.close();
	}

	@Test
	void aLeaseWhoseCounterKeepsIncreasingIsNotOrphaned() {
		for (long counter = 1; counter <= 5; counter++) {
			lease("shard-1", "worker-b", counter, ExtendedSequenceNumber.TRIM_HORIZON);
			assertThat(this.watch.takeover()).isNull();
			this.clock.advance(STEP);
		}
	}

	@Test
	void aHeldLeaseWhoseCounterStaysPutForLongerThanTheRenewalBoundIsOrphaned() {
		lease("shard-1", "worker-b", 7, ExtendedSequenceNumber.TRIM_HORIZON);
		lease("shard-2", "worker-a", 3, ExtendedSequenceNumber.TRIM_HORIZON);
		Instant lastRenewal = this.clock.instant();
		assertThat(this.watch.takeover()).isNull();
		this.clock.advance(STEP);
		lease("shard-2", "worker-a", 4, ExtendedSequenceNumber.TRIM_HORIZON);
		assertThat(this.watch.takeover()).as("within the renewal bound").isNull();
		this.clock.advance(STEP);
		lease("shard-2", "worker-a", 5, ExtendedSequenceNumber.TRIM_HORIZON);

		Takeover takeover = this.watch.takeover();

		assertThat(takeover.orphanedLeases()).containsExactly(new OrphanedLease("shard-1", "worker-b", lastRenewal));
	}

	@Test
	void anOrphanedLeaseClearsOnceAnotherWorkerTakesIt() {
		lease("shard-1", "worker-b", 7, ExtendedSequenceNumber.TRIM_HORIZON);
		this.watch.takeover();
		this.clock.advance(ORPHANED_AFTER.plus(STEP));
		assertThat(this.watch.takeover()).isNotNull();
		lease("shard-1", "worker-a", 8, ExtendedSequenceNumber.TRIM_HORIZON);
		this.clock.advance(STEP);

		assertThat(this.watch.takeover()).isNull();
	}

	@Test
	void leasesThatNoWorkerHoldsOrWhoseShardIsFinishedAreNotOrphaned() {
		lease("shard-1", null, 7, ExtendedSequenceNumber.TRIM_HORIZON);
		lease("shard-2", "worker-b", 7, ExtendedSequenceNumber.SHARD_END);
		this.watch.takeover();
		this.clock.advance(ORPHANED_AFTER.plus(STEP));

		assertThat(this.watch.takeover()).isNull();
	}

	@Test
	void theTakeoverNamesTheLeaderLockHolderAndWhetherItsLockLooksExpired() {
		lease("shard-1", "worker-b", 7, ExtendedSequenceNumber.TRIM_HORIZON);
		leaderLock("worker-b", "version-1");
		Instant lastHeartbeat = this.clock.instant();
		this.watch.takeover();
		this.clock.advance(STEP);
		this.watch.takeover();
		this.clock.advance(STEP);

		assertThat(this.watch.takeover().leaderLock())
			.isEqualTo(new LeaderLock("worker-b", Duration.ofSeconds(6), lastHeartbeat, true));

		leaderLock("worker-a", "version-2");
		this.clock.advance(STEP);

		assertThat(this.watch.takeover().leaderLock())
			.isEqualTo(new LeaderLock("worker-a", Duration.ofSeconds(6), this.clock.instant(), false));
	}

	@Test
	void theLeaderLockIsLeftOutWhenNoWorkerHoldsIt() {
		lease("shard-1", "worker-b", 7, ExtendedSequenceNumber.TRIM_HORIZON);
		this.watch.takeover();
		this.clock.advance(ORPHANED_AFTER.plus(STEP));

		assertThat(this.watch.takeover()).isEqualTo(new Takeover(
				List.of(new OrphanedLease("shard-1", "worker-b", this.clock.instant().minus(ORPHANED_AFTER.plus(STEP)))),
				null));
	}

	private void createTable(String name, String hashKey) {
		this.dynamoDb.createTable((table) -> table.tableName(name)
			.keySchema(KeySchemaElement.builder().attributeName(hashKey).keyType(KeyType.HASH).build())
			.attributeDefinitions(
					AttributeDefinition.builder().attributeName(hashKey).attributeType(ScalarAttributeType.S).build())
			.billingMode(BillingMode.PAY_PER_REQUEST)).join();
	}

	private void lease(String shardId, String owner, long counter, ExtendedSequenceNumber checkpoint) {
		Lease lease = new Lease();
		lease.leaseKey(shardId);
		lease.leaseOwner(owner);
		lease.leaseCounter(counter);
		lease.ownerSwitchesSinceCheckpoint(0L);
		lease.checkpoint(checkpoint);
		lease.parentShardIds(List.of());
		this.dynamoDb.putItem((item) -> item.tableName(this.leaseTable)
			.item(new DynamoDBLeaseSerializer().toDynamoRecord(lease))).join();
	}

	/**
	 * Writes the leader lock the way the DynamoDB lock client that KCL uses stores it.
	 */
	private void leaderLock(String owner, String recordVersionNumber) {
		this.dynamoDb.putItem((item) -> item.tableName(this.leaseTable + "-CoordinatorState")
			.item(Map.of("key", AttributeValue.fromS("Leader"), "ownerName", AttributeValue.fromS(owner),
					"leaseDuration", AttributeValue.fromS("6000"), "recordVersionNumber",
					AttributeValue.fromS(recordVersionNumber)))).join();
	}

}
