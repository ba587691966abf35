package io.dynamotrigger.listener;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.StreamRecords;
import io.dynamotrigger.ViewType;
import io.dynamotrigger.config.BatchSettings;
import io.dynamotrigger.config.TriggerEndpoint;
import io.dynamotrigger.error.DeadLetterRecord;
import io.dynamotrigger.error.ErrorPolicy;
import io.dynamotrigger.idempotency.IdempotencyKey;
import io.dynamotrigger.idempotency.IdempotencyMeters;
import io.dynamotrigger.idempotency.IdempotencyTable;
import io.dynamotrigger.idempotency.IdempotentDelivery;
import io.dynamotrigger.metrics.TriggerMetrics;
import io.dynamotrigger.pause.ShardBacklog;
import io.dynamotrigger.pause.TriggerPause;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbTest;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.backoff.FixedBackOff;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idempotent triggers in the record pipeline, with the idempotency table on the local endpoint.
 */
@LocalDynamoDbTest
class IdempotentPipelineTests {

	private static final AtomicInteger tables = new AtomicInteger();

	private static final ErrorPolicy TWO_CALLS = new ErrorPolicy(new FixedBackOff(1, 1), Set.of(), null);

	private final Outage outage = new Outage();

	private final StopSignal stop = new StopSignal();

	private final List<DeadLetterRecord> deadLetters = new CopyOnWriteArrayList<>();

	private final AtomicInteger skipped = new AtomicInteger();

	private DynamoDbClient dynamoDb;

	private String tableName;

	@BeforeEach
	void createClient(LocalDynamoDb local) {
		this.dynamoDb = local.configure(DynamoDbClient.builder())
			.overrideConfiguration((config) -> config.addExecutionInterceptor(this.outage))
			.build();
		this.tableName = "Idempotency" + tables.incrementAndGet();
	}

	@AfterEach
	void deleteTable() {
		this.stop.stop();
		this.outage.over();
		this.dynamoDb.deleteTable((table) -> table.tableName(this.tableName));
		this.dynamoDb.close();
	}

	@Test
	void aRecordHandledAlreadyIsNotHandedToTheTriggerAgain() {
		Calls calls = new Calls(0);
		RecordPipeline pipeline = pipeline(recordTrigger(calls, table(Duration.ofMinutes(2))));
		Record record = record("1");

		assertThat(pipeline.deliver(record, "shard-1")).isTrue();
		assertThat(pipeline.deliver(record, "shard-1")).isTrue();

		assertThat(calls.sequenceNumbers).containsExactly("1");
		assertThat(this.skipped).hasValue(1);
	}

	@Test
	void aDifferentRecordOfTheSameItemIsHandedToTheTrigger() {
		Calls calls = new Calls(0);
		RecordPipeline pipeline = pipeline(recordTrigger(calls, table(Duration.ofMinutes(2))));

		pipeline.deliver(record("1"), "shard-1");
		pipeline.deliver(record("2"), "shard-1");

		assertThat(calls.sequenceNumbers).containsExactly("1", "2");
		assertThat(this.skipped).hasValue(0);
	}

	@Test
	void aRecordClaimedByAConsumerThatDiedIsCalledAgainOnceTheClaimRunsOut() {
		IdempotencyTable table = table(Duration.ofSeconds(2));
		Calls calls = new Calls(0);
		RecordPipeline pipeline = pipeline(recordTrigger(calls, table));
		assertThat(table.claim("idem#event-1", "died-mid-call").outcome())
			.isEqualTo(IdempotencyTable.Claim.Outcome.CLAIMED);
		long start = System.nanoTime();

		assertThat(pipeline.deliver(record("1"), "shard-1")).isTrue();

		long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(calls.sequenceNumbers).containsExactly("1");
		assertThat(waitedMillis).isBetween(1_500L, 4_000L);
	}

	@Test
	void aRecordWhoseClaimHoldsIsNotCalledMeanwhile() throws Exception {
		IdempotencyTable table = table(Duration.ofMinutes(2));
		Calls calls = new Calls(0);
		RecordPipeline pipeline = pipeline(recordTrigger(calls, table));
		table.claim("idem#event-1", "another-consumer");

		CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(() -> pipeline.deliver(record("1"), "shard-1"));
		Thread.sleep(1_500);
		assertThat(done).isNotDone();
		this.stop.stop();

		assertThat(done.get(3, TimeUnit.SECONDS)).isFalse();
		assertThat(calls.sequenceNumbers).isEmpty();
	}

	@Test
	void whileTheTableCannotBeReachedTheShardWaitsAndNothingIsSkipped() throws Exception {
		Calls calls = new Calls(0);
		RecordPipeline pipeline = pipeline(recordTrigger(calls, table(Duration.ofMinutes(2))));
		this.outage.begin();

		CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(() -> pipeline.deliver(record("1"), "shard-1"));
		Thread.sleep(1_500);
		assertThat(done).isNotDone();
		assertThat(calls.sequenceNumbers).isEmpty();
		assertThat(this.outage.refused.get()).isGreaterThan(2);
		this.outage.over();

		assertThat(done.get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(calls.sequenceNumbers).containsExactly("1");
		assertThat(this.deadLetters).isEmpty();
		assertThat(pipeline.deliver(record("1"), "shard-1")).isTrue();
		assertThat(calls.sequenceNumbers).containsExactly("1");
	}

	@Test
	void aStopWhileTheTableCannotBeReachedLeavesTheRecordNotDone() throws Exception {
		Calls calls = new Calls(0);
		RecordPipeline pipeline = pipeline(recordTrigger(calls, table(Duration.ofMinutes(2))));
		this.outage.begin();

		CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(() -> pipeline.deliver(record("1"), "shard-1"));
		Thread.sleep(500);
		this.stop.stop();

		assertThat(done.get(5, TimeUnit.SECONDS)).isFalse();
		assertThat(calls.sequenceNumbers).isEmpty();
		assertThat(this.deadLetters).isEmpty();
	}

	@Test
	void aPausedTriggerClaimsNothingUntilItIsResumed() {
		Calls calls = new Calls(0);
		ActiveTrigger trigger = recordTrigger(calls, table(Duration.ofMinutes(2)));
		trigger.pause().pause();
		RecordPipeline pipeline = pipeline(trigger);
		ShardBacklog backlog = new ShardBacklog(1);

		assertThat(pipeline.deliver(record("1"), "shard-1", 0, backlog)).isTrue();
		assertThat(backlog.of(0).size()).isEqualTo(1);
		assertThat(this.dynamoDb.scan((scan) -> scan.tableName(this.tableName)).count()).isZero();
		assertThat(calls.sequenceNumbers).isEmpty();
		trigger.pause().resume();

		assertThat(pipeline.deliverHeld(backlog, "shard-1")).isTrue();
		assertThat(calls.sequenceNumbers).containsExactly("1");
		assertThat(backlog.of(0).isEmpty()).isTrue();
	}

	@Test
	void aBatchTriggerGetsOnlyTheRecordsNotCompletedYet() {
		Calls calls = new Calls(0);
		ActiveTrigger trigger = batchTrigger(calls, table(Duration.ofMinutes(2)));
		RecordPipeline pipeline = pipeline(trigger);

		assertThat(pipeline.deliverBatch(trigger, List.of(record("1"), record("2")), "shard-1", false)).isTrue();
		assertThat(pipeline.deliverBatch(trigger, List.of(record("1"), record("2"), record("3")), "shard-1", false))
			.isTrue();
		assertThat(pipeline.deliverBatch(trigger, List.of(record("2"), record("3")), "shard-1", false)).isTrue();

		assertThat(calls.batches).containsExactly(List.of("1", "2"), List.of("3"));
		assertThat(this.skipped).hasValue(4);
	}

	@Test
	void aDeadLetteredRecordIsNotCompletedSoItsRedriveCallsTheTriggerOnce() throws Exception {
		IdempotencyTable table = table(Duration.ofMinutes(2));
		Calls calls = new Calls(2);
		ActiveTrigger trigger = recordTrigger(calls, table);
		RecordPipeline pipeline = pipeline(trigger);
		Record record = record("1");

		assertThat(pipeline.deliver(record, "shard-1")).isTrue();
		assertThat(this.deadLetters).hasSize(1);

		Record redriven = this.deadLetters.get(0).toStreamRecord();
		assertThat(trigger.idempotency().callOnce(redriven, () -> calls.sequenceNumbers.add("redrive"))).isTrue();
		assertThat(trigger.idempotency().callOnce(redriven, () -> calls.sequenceNumbers.add("redrive"))).isFalse();
		assertThat(pipeline.deliver(record, "shard-1")).isTrue();

		assertThat(calls.sequenceNumbers).containsExactly("1", "1", "redrive");
	}

	@Test
	void aRecordWithoutAnEventIdIsKeyedByTheApplicationsKey() {
		Calls calls = new Calls(0);
		IdempotencyKey byItem = (record) -> record.dynamodb().keys().get("id").s();
		RecordPipeline pipeline = pipeline(new ActiveTrigger(endpoint("idem", calls, "handle", Record.class), TWO_CALLS,
				TriggerMetrics.NONE.trigger("idem", "Reviews"), BatchSettings.DEFAULTS,
				new TriggerPause(TriggerPause.DEFAULT_MAX_HELD_RECORDS), null,
				delivery(table(Duration.ofMinutes(2)), byItem)));
		Record backfilled = record("1").toBuilder().eventID(null).build();

		pipeline.deliver(backfilled, "backfill");
		pipeline.deliver(backfilled, "backfill");

		assertThat(calls.sequenceNumbers).containsExactly("1");
	}

	@Test
	void aRecordWhoseKeyCannotBeBuiltIsRetriedAndDeadLetteredWithoutACall() {
		Calls calls = new Calls(0);
		IdempotencyKey broken = (record) -> record.dynamodb().newImage().get("missing").s();
		RecordPipeline pipeline = pipeline(new ActiveTrigger(endpoint("idem", calls, "handle", Record.class), TWO_CALLS,
				TriggerMetrics.NONE.trigger("idem", "Reviews"), BatchSettings.DEFAULTS,
				new TriggerPause(TriggerPause.DEFAULT_MAX_HELD_RECORDS), null,
				delivery(table(Duration.ofMinutes(2)), broken)));

		assertThat(pipeline.deliver(record("1").toBuilder().eventID(null).build(), "backfill")).isTrue();
		assertThat(pipeline.deliver(record("2"), "shard-1")).isTrue();

		assertThat(calls.sequenceNumbers).containsExactly("2");
		assertThat(this.deadLetters).singleElement().satisfies((deadLetter) -> {
			assertThat(deadLetter.source().sequenceNumber()).isEqualTo("1");
			assertThat(deadLetter.failure().attempts()).isEqualTo(2);
			assertThat(deadLetter.failure().exceptionMessage())
				.contains("The IdempotencyKey of trigger 'idem' failed on a record without an event id");
		});
	}

	private IdempotencyTable table(Duration lockTimeout) {
		IdempotencyTable table = new IdempotencyTable(this.dynamoDb, this.tableName, Duration.ofHours(24), lockTimeout,
				Clock.systemUTC());
		table.prepare();
		return table;
	}

	private IdempotentDelivery delivery(IdempotencyTable table, IdempotencyKey key) {
		IdempotencyMeters meters = new IdempotencyMeters() {

			@Override
			public void skipped() {
				IdempotentPipelineTests.this.skipped.incrementAndGet();
			}

			@Override
			public void storeCall(Operation operation, long nanos, boolean success) {
			}

		};
		return new IdempotentDelivery("idem", table, key, meters, Clock.systemUTC());
	}

	private ActiveTrigger recordTrigger(Calls calls, IdempotencyTable table) {
		return new ActiveTrigger(endpoint("idem", calls, "handle", Record.class), TWO_CALLS,
				TriggerMetrics.NONE.trigger("idem", "Reviews"), BatchSettings.DEFAULTS,
				new TriggerPause(TriggerPause.DEFAULT_MAX_HELD_RECORDS), null, delivery(table, null));
	}

	private ActiveTrigger batchTrigger(Calls calls, IdempotencyTable table) {
		return new ActiveTrigger(endpoint("idem", calls, "handleBatch", List.class), TWO_CALLS,
				TriggerMetrics.NONE.trigger("idem", "Reviews"), BatchSettings.DEFAULTS,
				new TriggerPause(TriggerPause.DEFAULT_MAX_HELD_RECORDS), null, delivery(table, null));
	}

	private static TriggerEndpoint endpoint(String id, Calls calls, String method, Class<?> parameter) {
		try {
			return new TriggerEndpoint(id, "Reviews", ViewType.NEW_AND_OLD_IMAGES, EnumSet.allOf(EventType.class),
					(record) -> true, BatchSettings.DEFAULTS, HandlerInvoker.prepare(calls,
							Calls.class.getDeclaredMethod(method, parameter), ViewType.NEW_AND_OLD_IMAGES,
							EnumSet.allOf(EventType.class)));
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private RecordPipeline pipeline(ActiveTrigger trigger) {
		return new RecordPipeline("Reviews", List.of(trigger),
				new RetryingDeadLetterPublisher(this.deadLetters::add, new FixedBackOff(1, 0), this.stop), this.stop,
				Clock.systemUTC(), ObservationRegistry.NOOP);
	}

	private static Record record(String sequenceNumber) {
		return StreamRecords.record(OperationType.MODIFY, sequenceNumber, StreamRecords.review("r1", 4, "old"),
				StreamRecords.review("r1", 5, "new " + sequenceNumber));
	}

	/**
	 * The trigger's calls; it fails the first {@code failures} calls.
	 */
	static final class Calls {

		final List<String> sequenceNumbers = new CopyOnWriteArrayList<>();

		final List<List<String>> batches = new CopyOnWriteArrayList<>();

		private final AtomicInteger failures;

		Calls(int failures) {
			this.failures = new AtomicInteger(failures);
		}

		void handle(Record record) {
			this.sequenceNumbers.add(record.dynamodb().sequenceNumber());
			if (this.failures.getAndDecrement() > 0) {
				throw new IllegalStateException("failing on purpose");
			}
		}

		void handleBatch(List<ItemChange<Map<String, AttributeValue>>> changes) {
			this.batches.add(changes.stream().map(ItemChange::sequenceNumber).toList());
		}

	}

	/**
	 * Refuses every request of the client while it lasts, as an unreachable endpoint does.
	 */
	static final class Outage implements ExecutionInterceptor {

		private final AtomicBoolean on = new AtomicBoolean();

		final AtomicInteger refused = new AtomicInteger();

		void begin() {
			this.on.set(true);
		}

		void over() {
			this.on.set(false);
		}

		@Override
		public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes executionAttributes) {
			if (this.on.get()) {
				this.refused.incrementAndGet();
				throw SdkClientException.create("Unable to execute HTTP request: Connect to idempotency table refused");
			}
		}

	}

}
