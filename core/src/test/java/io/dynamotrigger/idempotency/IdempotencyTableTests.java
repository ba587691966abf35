package io.dynamotrigger.idempotency;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.dynamotrigger.SettableClock;
import io.dynamotrigger.idempotency.IdempotencyTable.Claim;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link IdempotencyTable} on the local endpoint, its time set by hand: the states of a record's item and when
 * a claim succeeds.
 */
@LocalDynamoDbTest
class IdempotencyTableTests {

	private static final AtomicInteger tables = new AtomicInteger();

	private static final Duration EXPIRY = Duration.ofHours(24);

	private static final Duration LOCK_TIMEOUT = Duration.ofMinutes(1);

	private final SettableClock clock = new SettableClock();

	private DynamoDbClient dynamoDb;

	private IdempotencyTable table;

	@BeforeEach
	void createTable(LocalDynamoDb local) {
		this.dynamoDb = local.configure(DynamoDbClient.builder()).build();
		this.table = new IdempotencyTable(this.dynamoDb, "IdempotencyTable" + tables.incrementAndGet(), EXPIRY,
				LOCK_TIMEOUT, this.clock);
		this.table.prepare();
	}

	@AfterEach
	void deleteTable() {
		this.dynamoDb.deleteTable((delete) -> delete.tableName(this.table.tableName()));
		this.dynamoDb.close();
	}

	@Test
	void prepareCreatesTheTableWithTimeToLiveOnTheExpiryAndAcceptsItWhenItExists() {
		assertThat(this.dynamoDb.describeTimeToLive((ttl) -> ttl.tableName(this.table.tableName()))
			.timeToLiveDescription()
			.attributeName()).isEqualTo(IdempotencyTable.EXPIRES_AT);

		this.table.prepare();
	}

	@Test
	void aTableWithAnotherKeyFailsPrepareNamingTheTableAndTheProperty() {
		String other = this.table.tableName() + "-other";
		this.dynamoDb.createTable((create) -> create.tableName(other)
			.billingMode(BillingMode.PAY_PER_REQUEST)
			.attributeDefinitions((attribute) -> attribute.attributeName("pk").attributeType(ScalarAttributeType.S))
			.keySchema((key) -> key.attributeName("pk").keyType(KeyType.HASH)));
		try {
			assertThatIllegalStateException()
				.isThrownBy(() -> new IdempotencyTable(this.dynamoDb, other, EXPIRY, LOCK_TIMEOUT, this.clock).prepare())
				.withMessageContaining("Idempotency table " + other + " has the key [pk]")
				.withMessageContaining("dynamo-trigger.idempotency.table-name");
		}
		finally {
			this.dynamoDb.deleteTable((delete) -> delete.tableName(other));
		}
	}

	@Test
	void aClaimedRecordIsInProgressForOthersUntilItsLockRunsOut() {
		assertThat(this.table.claim("t#e1", "a").outcome()).isEqualTo(Claim.Outcome.CLAIMED);

		Claim held = this.table.claim("t#e1", "b");

		assertThat(held.outcome()).isEqualTo(Claim.Outcome.IN_PROGRESS);
		assertThat(held.lockedUntil()).isEqualTo(this.clock.instant().plus(LOCK_TIMEOUT));
		this.clock.advance(LOCK_TIMEOUT);
		assertThat(this.table.claim("t#e1", "b").outcome()).isEqualTo(Claim.Outcome.IN_PROGRESS);
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.table.claim("t#e1", "b").outcome()).isEqualTo(Claim.Outcome.CLAIMED);
	}

	@Test
	void aCompletedRecordStaysCompletedUntilItsItemExpires() {
		this.table.claim("t#e1", "a");
		this.table.complete(List.of("t#e1"));

		this.clock.advance(LOCK_TIMEOUT.multipliedBy(10));
		assertThat(this.table.claim("t#e1", "b").outcome()).isEqualTo(Claim.Outcome.COMPLETED);
		this.clock.advance(EXPIRY.plusSeconds(1));
		assertThat(this.table.claim("t#e1", "b").outcome()).isEqualTo(Claim.Outcome.CLAIMED);
	}

	@Test
	void releaseFreesOnlyTheOwnersClaim() {
		this.table.claim("t#e1", "a");

		this.table.release("t#e1", "b");
		assertThat(this.table.claim("t#e1", "c").outcome()).isEqualTo(Claim.Outcome.IN_PROGRESS);
		this.table.release("t#e1", "a");
		assertThat(this.table.claim("t#e1", "c").outcome()).isEqualTo(Claim.Outcome.CLAIMED);
	}

	@Test
	void releaseLeavesACompletedRecordCompleted() {
		this.table.claim("t#e1", "a");
		this.table.complete(List.of("t#e1"));

		this.table.release("t#e1", "a");

		assertThat(this.table.claim("t#e1", "b").outcome()).isEqualTo(Claim.Outcome.COMPLETED);
	}

	@Test
	void completedReadsManyKeysAndReturnsOnlyTheCompletedOnes() {
		List<String> keys = IntStream.range(0, 130).mapToObj((i) -> "t#e" + i).toList();
		keys.forEach((key) -> this.table.claim(key, "a"));
		List<String> done = keys.stream().filter((key) -> Math.floorMod(key.hashCode(), 3) == 0).toList();
		this.table.complete(done);

		assertThat(done).hasSizeGreaterThan(25);
		assertThat(this.table.completed(keys)).containsExactlyInAnyOrderElementsOf(done);
	}

	@Test
	void completedLeavesOutAnExpiredItemThatTimeToLiveHasNotDeletedYet() {
		this.table.claim("t#e1", "a");
		this.table.complete(List.of("t#e1"));
		this.clock.advance(EXPIRY.plusSeconds(1));

		assertThat(this.table.completed(List.of("t#e1"))).isEmpty();
		assertThat(this.dynamoDb.getItem((get) -> get.tableName(this.table.tableName())
			.key(Map.of(IdempotencyTable.ID, AttributeValue.fromS("t#e1")))).item()).isNotEmpty();
	}

}
