package io.dynamotrigger.lease;

import java.time.Duration;
import java.util.HashMap;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A lease table read on the local endpoint: a read that fails tells that the lease table does not answer, and
 * a read, failed or not, serves every question for 5 seconds, by a clock the tests move.
 */
@LocalDynamoDbTest
class LeaseTableScanTests {

	private static final AtomicInteger tables = new AtomicInteger();

	private final SettableClock clock = new SettableClock();

	private DynamoDbAsyncClient dynamoDb;

	private String leaseTable;

	private LeaseTableScan scan;

	@BeforeEach
	void createClient(LocalDynamoDb local) {
		this.dynamoDb = local.configure(DynamoDbAsyncClient.builder()).build();
		this.leaseTable = "ScannedLeases" + tables.incrementAndGet();
		this.scan = new LeaseTableScan(this.dynamoDb, this.leaseTable, this.clock);
	}

	@AfterEach
	void deleteLeaseTable() {
		this.dynamoDb.deleteTable((table) -> table.tableName(this.leaseTable)).exceptionally((ex) -> null).join();
		this.dynamoDb.close();
	}

	@Test
	void aMissingLeaseTableIsAProblemAndHasNoLeases() {
		assertThat(this.scan.problem()).startsWith("lease table " + this.leaseTable + " unreachable: ");
		assertThat(this.scan.leases()).isNull();
	}

	@Test
	void aReadServesForFiveSecondsWhetherItFailedOrNot() {
		assertThat(this.scan.problem()).isNotNull();
		createLeaseTable();

		this.clock.advance(Duration.ofSeconds(4));
		assertThat(this.scan.problem()).isNotNull();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.scan.problem()).isNull();
		assertThat(this.scan.leases().leases()).isEmpty();
		assertThat(this.scan.leases().readAt()).isEqualTo(this.clock.instant());
	}

	@Test
	void aStreamsScanOfASharedLeaseTableHasOnlyThatStreamsLeasesKeyedByShardIdAndSharesTheRead() {
		createLeaseTable();
		putLease("account:orders$1:1:shardId-1", "worker-a");
		putLease("account:reviews$2:1:shardId-1", "worker-b");
		putLease("account:reviews$2:1:shardId-2", null);
		LeaseTableScan reviews = this.scan.stream("account:reviews$2:1:");

		assertThat(reviews.problem()).isNull();
		assertThat(reviews.leases().leases()).extracting(LeaseTableScan.Lease::key, LeaseTableScan.Lease::owner)
			.containsExactlyInAnyOrder(tuple("shardId-1", "worker-b"),
					tuple("shardId-2", null));
		putLease("account:reviews$2:1:shardId-3", null);
		assertThat(reviews.leases().leases()).as("served from the whole table's read for 5 s").hasSize(2);
		assertThat(this.scan.leases().leases()).hasSize(3);
	}

	private void putLease(String key, String owner) {
		Map<String, AttributeValue> item = new HashMap<>();
		item.put("leaseKey", AttributeValue.fromS(key));
		item.put("checkpoint", AttributeValue.fromS("TRIM_HORIZON"));
		if (owner != null) {
			item.put("leaseOwner", AttributeValue.fromS(owner));
		}
		this.dynamoDb.putItem((put) -> put.tableName(this.leaseTable).item(item)).join();
	}

	private void createLeaseTable() {
		this.dynamoDb.createTable((table) -> table.tableName(this.leaseTable)
			.keySchema(KeySchemaElement.builder().attributeName("leaseKey").keyType(KeyType.HASH).build())
			.attributeDefinitions(AttributeDefinition.builder()
				.attributeName("leaseKey")
				.attributeType(ScalarAttributeType.S)
				.build())
			.billingMode(BillingMode.PAY_PER_REQUEST)).join();
	}

}
