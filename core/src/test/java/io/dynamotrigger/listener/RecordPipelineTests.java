package io.dynamotrigger.listener;

import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.dynamotrigger.ErrorPolicies;
import io.dynamotrigger.BatchFailureException;
import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.Review;
import io.dynamotrigger.TriggerContext;
import io.dynamotrigger.ViewType;
import io.dynamotrigger.backfill.StreamSeam;
import io.dynamotrigger.config.BatchSettings;
import io.dynamotrigger.config.TriggerEndpoint;
import io.dynamotrigger.error.DeadLetterHandler;
import io.dynamotrigger.error.DeadLetterReason;
import io.dynamotrigger.error.DeadLetterRecord;
import io.dynamotrigger.error.ErrorPolicy;
import io.dynamotrigger.mapping.RecordMappingException;
import io.dynamotrigger.metrics.RecordResult;
import io.dynamotrigger.metrics.TriggerMeters;
import io.dynamotrigger.metrics.TriggerMetrics;
import io.dynamotrigger.pause.ShardBacklog;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.FixedBackOff;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

import static org.assertj.core.api.Assertions.assertThat;

class RecordPipelineTests {

	private static final BackOff RETRY_AT_ONCE = new FixedBackOff(1, FixedBackOff.UNLIMITED_ATTEMPTS);

	private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

	private final List<String> calls = new CopyOnWriteArrayList<>();

	private final List<DeadLetterRecord> deadLetters = new CopyOnWriteArrayList<>();

	private DeadLetterHandler deadLetterHandler = this.deadLetters::add;

	private final StopSignal stop = new StopSignal();

	private RecordPipeline dispatcher;

	@AfterEach
	void stopDispatcher() {
		this.stop.stop();
	}

	@Test
	void recordGoesToEveryTriggerThatAcceptsItsEventTypeInTriggerOrder() {
		this.dispatcher = dispatcher(List.of(endpoint("notify", new RecordingHandler("notify", this.calls), EventType.MODIFY),
						endpoint("audit", new RecordingHandler("audit", this.calls), EventType.values()),
						endpoint("count", new RecordingHandler("count", this.calls), EventType.INSERT,
								EventType.MODIFY)),
				RETRY_AT_ONCE);

		assertThat(this.dispatcher.deliver(record(OperationType.MODIFY), "shard-1")).isTrue();
		assertThat(this.calls).containsExactly("notify", "audit", "count");
	}

	@Test
	void recordDoesNotGoToTriggersThatDoNotAcceptItsEventType() {
		this.dispatcher = dispatcher(List.of(endpoint("inserts", new RecordingHandler("inserts", this.calls), EventType.INSERT),
						endpoint("removes", new RecordingHandler("removes", this.calls), EventType.REMOVE)),
				RETRY_AT_ONCE);

		this.dispatcher.deliver(record(OperationType.REMOVE), "shard-1");

		assertThat(this.calls).containsExactly("removes");
	}

	@Test
	void recordThatNoTriggerAcceptsIsDone() {
		this.dispatcher = dispatcher(List.of(endpoint("inserts", new RecordingHandler("inserts", this.calls), EventType.INSERT)),
				RETRY_AT_ONCE);

		assertThat(this.dispatcher.deliver(record(OperationType.REMOVE), "shard-1")).isTrue();
		assertThat(this.calls).isEmpty();
	}

	@Test
	void failingTriggerIsCalledAgainUntilItSucceeds() {
		FailingHandler handler = new FailingHandler(2);
		this.dispatcher = dispatcher(List.of(endpoint("flaky", handler, EventType.values())),
				RETRY_AT_ONCE);

		assertThat(this.dispatcher.deliver(record(OperationType.INSERT), "shard-1")).isTrue();
		assertThat(handler.calls()).isEqualTo(3);
		assertThat(this.deadLetters).isEmpty();
	}

	@Test
	void recordWhoseRetriesAreUsedUpIsDeadLetteredWithTheLastFailure() {
		FailingHandler handler = new FailingHandler(Integer.MAX_VALUE);
		this.dispatcher = dispatcher(List.of(endpoint("broken", handler, EventType.values())), new FixedBackOff(1, 2));

		assertThat(this.dispatcher.deliver(record(OperationType.INSERT), "shard-1")).isTrue();

		assertThat(handler.calls()).isEqualTo(3);
		assertThat(this.deadLetters).singleElement().satisfies((deadLetter) -> {
			assertThat(deadLetter.source().triggerId()).isEqualTo("broken");
			assertThat(deadLetter.source().table()).isEqualTo("Reviews");
			assertThat(deadLetter.source().shardId()).isEqualTo("shard-1");
			assertThat(deadLetter.source().sequenceNumber()).isEqualTo("100");
			assertThat(deadLetter.failure().reason()).isEqualTo(DeadLetterReason.RETRIES_EXHAUSTED);
			assertThat(deadLetter.failure().attempts()).isEqualTo(3);
			assertThat(deadLetter.failure().exceptionClass()).isEqualTo(IllegalStateException.class.getName());
			assertThat(deadLetter.failure().exceptionMessage()).isEqualTo("failure 3");
			assertThat(deadLetter.failure().stackHead()).startsWith("java.lang.IllegalStateException: failure 3");
			assertThat(deadLetter.change().newImage()).containsEntry("rating", AttributeValue.fromN("5"));
			assertThat(deadLetter.failure().firstFailure()).isEqualTo(NOW);
		});
	}

	@Test
	void deadLetterHandlerGetsTheLastExceptionItself() {
		FailingHandler handler = new FailingHandler(Integer.MAX_VALUE);
		this.dispatcher = dispatcher(List.of(endpoint("broken", handler, EventType.values())), new FixedBackOff(1, 2));

		assertThat(this.dispatcher.deliver(record(OperationType.INSERT), "shard-1")).isTrue();

		assertThat(this.deadLetters).singleElement()
			.satisfies((deadLetter) -> assertThat(deadLetter.failure().exception())
				.isInstanceOf(IllegalStateException.class)
				.hasMessage("failure 3"));
	}

	@Test
	void recordOfAnOperationUnknownToThisVersionIsDeadLetteredWholeWithItsOperationName() {
		FailingHandler handler = new FailingHandler(0);
		this.dispatcher = dispatcher(List.of(endpoint("changes", handler, EventType.values())), new FixedBackOff(1, 2));
		Record unknown = record(OperationType.INSERT).toBuilder().eventName("FUTURE").build();

		assertThat(this.dispatcher.deliver(unknown, "shard-1")).isTrue();

		assertThat(handler.calls()).isZero();
		assertThat(this.deadLetters).singleElement().satisfies((deadLetter) -> {
			assertThat(deadLetter.change().eventName()).isEqualTo("FUTURE");
			assertThat(deadLetter.failure().exceptionMessage()).startsWith("Unknown stream operation");
			assertThat(deadLetter.change().newImage()).containsEntry("rating", AttributeValue.fromN("5"));
			assertThat(deadLetter.toStreamRecord().eventNameAsString()).isEqualTo("FUTURE");
		});
	}

	@Test
	void nonRetryableExceptionDeadLettersTheRecordAfterOneCall() {
		FailingHandler handler = new FailingHandler(Integer.MAX_VALUE);
		this.dispatcher = dispatcher(List.of(endpoint("broken", handler, EventType.values())), (id) -> new ErrorPolicy(RETRY_AT_ONCE, Set.of(IllegalStateException.class), null), RETRY_AT_ONCE);

		assertThat(this.dispatcher.deliver(record(OperationType.INSERT), "shard-1")).isTrue();

		assertThat(handler.calls()).isEqualTo(1);
		assertThat(this.deadLetters).singleElement()
			.extracting((deadLetter) -> deadLetter.failure().reason())
			.isEqualTo(DeadLetterReason.NON_RETRYABLE);
	}

	@Test
	void recordThatCannotBeMappedIsDeadLetteredWithoutRetries() {
		this.dispatcher = dispatcher(
				List.of(endpoint("audit", new RecordingHandler("audit", this.calls), EventType.values())),
				RETRY_AT_ONCE);
		Record unmappable = record(OperationType.INSERT).toBuilder()
			.dynamodb((change) -> change.keys(Map.of("id", AttributeValue.fromS("r1")))
				.newImage(Map.of("id", AttributeValue.fromS("r1"), "rating", AttributeValue.fromS("five")))
				.sequenceNumber("101"))
			.build();

		assertThat(this.dispatcher.deliver(unmappable, "shard-1")).isTrue();

		assertThat(this.calls).isEmpty();
		assertThat(this.deadLetters).singleElement().satisfies((deadLetter) -> {
			assertThat(deadLetter.failure().reason()).isEqualTo(DeadLetterReason.NON_RETRYABLE);
			assertThat(deadLetter.failure().exceptionClass()).isEqualTo(RecordMappingException.class.getName());
			assertThat(deadLetter.failure().attempts()).isEqualTo(1);
		});
	}

	@Test
	void recordOlderThanTheMaximumAgeIsDeadLetteredWithoutACall() {
		this.dispatcher = dispatcher(List.of(endpoint("audit", new RecordingHandler("audit", this.calls), EventType.values())), (id) -> new ErrorPolicy(RETRY_AT_ONCE, Set.of(), Duration.ofHours(1)), RETRY_AT_ONCE);
		Record old = record(OperationType.INSERT).toBuilder()
			.dynamodb((change) -> change.keys(Map.of("id", AttributeValue.fromS("r1")))
				.sequenceNumber("102")
				.approximateCreationDateTime(NOW.minus(Duration.ofMinutes(61))))
			.build();

		assertThat(this.dispatcher.deliver(old, "shard-1")).isTrue();

		assertThat(this.calls).isEmpty();
		assertThat(this.deadLetters).singleElement().satisfies((deadLetter) -> {
			assertThat(deadLetter.failure().reason()).isEqualTo(DeadLetterReason.RECORD_TOO_OLD);
			assertThat(deadLetter.failure().attempts()).isZero();
			assertThat(deadLetter.failure().exceptionClass()).isNull();
		});
	}

	@Test
	void recordYoungerThanTheMaximumAgeIsHandled() {
		this.dispatcher = dispatcher(List.of(endpoint("audit", new RecordingHandler("audit", this.calls), EventType.values())), (id) -> new ErrorPolicy(RETRY_AT_ONCE, Set.of(), Duration.ofHours(1)), RETRY_AT_ONCE);
		Record recent = record(OperationType.INSERT).toBuilder()
			.dynamodb((change) -> change.keys(Map.of("id", AttributeValue.fromS("r1")))
				.newImage(Map.of("id", AttributeValue.fromS("r1")))
				.sequenceNumber("103")
				.approximateCreationDateTime(NOW.minus(Duration.ofMinutes(59))))
			.build();

		assertThat(this.dispatcher.deliver(recent, "shard-1")).isTrue();

		assertThat(this.calls).containsExactly("audit");
		assertThat(this.deadLetters).isEmpty();
	}

	@Test
	void deadLetterTheHandlerDoesNotTakeIsOfferedAgainUntilItDoes() {
		AtomicInteger offers = new AtomicInteger();
		this.deadLetterHandler = (deadLetter) -> {
			if (offers.incrementAndGet() <= 2) {
				throw new IllegalStateException("dead-letter store down");
			}
			this.deadLetters.add(deadLetter);
		};
		this.dispatcher = dispatcher(List.of(endpoint("broken", new FailingHandler(Integer.MAX_VALUE),
				EventType.values())), new FixedBackOff(1, 0));

		assertThat(this.dispatcher.deliver(record(OperationType.INSERT), "shard-1")).isTrue();

		assertThat(offers).hasValue(3);
		assertThat(this.deadLetters).hasSize(1);
	}

	@Test
	void stopWhileTheDeadLetterHandlerFailsLeavesTheRecordNotDone() throws Exception {
		CountDownLatch offered = new CountDownLatch(1);
		this.deadLetterHandler = (deadLetter) -> {
			offered.countDown();
			throw new IllegalStateException("dead-letter store down");
		};
		this.dispatcher = dispatcher(List.of(endpoint("broken", new FailingHandler(Integer.MAX_VALUE), EventType.values())), (id) -> new ErrorPolicy(new FixedBackOff(1, 0), Set.of(), null), new FixedBackOff(10_000, FixedBackOff.UNLIMITED_ATTEMPTS));
		CompletableFuture<Boolean> done = CompletableFuture
			.supplyAsync(() -> this.dispatcher.deliver(record(OperationType.INSERT), "shard-1"));
		assertThat(offered.await(2, TimeUnit.SECONDS)).isTrue();

		this.stop.stop();

		assertThat(done.get(2, TimeUnit.SECONDS)).isFalse();
	}

	@Test
	void laterTriggersGetTheRecordOnceAnEarlierTriggerDeadLetteredIt() {
		this.dispatcher = dispatcher(List.of(endpoint("broken", new FailingHandler(3), EventType.values()),
						endpoint("audit", new RecordingHandler("audit", this.calls), EventType.values())),
				new FixedBackOff(1, 1));

		assertThat(this.dispatcher.deliver(record(OperationType.INSERT), "shard-1")).isTrue();
		assertThat(this.deadLetters).extracting((deadLetter) -> deadLetter.source().triggerId()).containsExactly("broken");
		assertThat(this.calls).containsExactly("audit");
	}

	@Test
	void stopEndsTheRetriesOfAFailingTriggerPromptlyLeavingTheRecordNotDone() throws Exception {
		FailingHandler handler = new FailingHandler(Integer.MAX_VALUE);
		this.dispatcher = dispatcher(List.of(endpoint("broken", handler, EventType.values())),
				new FixedBackOff(10_000, FixedBackOff.UNLIMITED_ATTEMPTS));
		CompletableFuture<Boolean> done = CompletableFuture
			.supplyAsync(() -> this.dispatcher.deliver(record(OperationType.INSERT), "shard-1"));
		assertThat(handler.firstCall.await(2, TimeUnit.SECONDS)).isTrue();

		this.stop.stop();

		assertThat(done.get(2, TimeUnit.SECONDS)).isFalse();
		assertThat(handler.calls()).isEqualTo(1);
	}

	@Test
	void noTriggerIsCalledAfterStop() {
		this.dispatcher = dispatcher(List.of(endpoint("audit", new RecordingHandler("audit", this.calls), EventType.values())),
				RETRY_AT_ONCE);
		this.stop.stop();

		assertThat(this.dispatcher.deliver(record(OperationType.INSERT), "shard-1")).isFalse();
		assertThat(this.calls).isEmpty();
	}

	@Test
	void isStoppedOnlyAfterStop() {
		this.dispatcher = dispatcher(List.of(), RETRY_AT_ONCE);
		assertThat(this.stop.isStopped()).isFalse();

		this.stop.stop();

		assertThat(this.stop.isStopped()).isTrue();
	}

	@Test
	void batchTriggerGetsTheRecordsOfAReadItAcceptsInOneCallWithTheContextOfTheLast() {
		BatchHandler batch = new BatchHandler(0);
		this.dispatcher = dispatcher(List.of(batchEndpoint("batch", batch, EventType.INSERT, EventType.MODIFY)),
				RETRY_AT_ONCE);

		boolean done = dispatchBatch(List.of(record(OperationType.INSERT, "1"),
				record(OperationType.REMOVE, "2"), record(OperationType.MODIFY, "3")), "shard-1");

		assertThat(done).isTrue();
		assertThat(batch.batches).singleElement()
			.satisfies((changes) -> assertThat(changes).extracting(ItemChange::sequenceNumber).containsExactly("1", "3"));
		assertThat(batch.contexts).singleElement().satisfies((context) -> {
			assertThat(context.triggerId()).isEqualTo("batch");
			assertThat(context.table()).isEqualTo("Reviews");
			assertThat(context.shardId()).isEqualTo("shard-1");
			assertThat(context.sequenceNumber()).isEqualTo("3");
			assertThat(context.attempt()).isEqualTo(1);
		});
	}

	@Test
	void batchTriggerIsNotCalledWhenItAcceptsNoRecordOfTheRead() {
		BatchHandler batch = new BatchHandler(0);
		this.dispatcher = dispatcher(List.of(batchEndpoint("batch", batch, EventType.INSERT)), RETRY_AT_ONCE);

		assertThat(dispatchBatch(List.of(record(OperationType.REMOVE, "1")), "shard-1")).isTrue();
		assertThat(batch.batches).isEmpty();
	}

	@Test
	void failingBatchIsRetriedWholeWithTheAttemptInTheContext() {
		BatchHandler batch = new BatchHandler(2);
		this.dispatcher = dispatcher(List.of(batchEndpoint("batch", batch, EventType.values())), RETRY_AT_ONCE);

		dispatchBatch(List.of(record(OperationType.INSERT, "1"), record(OperationType.MODIFY, "2")),
				"shard-1");

		assertThat(batch.batches).hasSize(3).allSatisfy((changes) -> assertThat(changes).hasSize(2));
		assertThat(batch.contexts).extracting(TriggerContext::attempt).containsExactly(1, 2, 3);
		assertThat(this.deadLetters).isEmpty();
	}

	@Test
	void batchThePolicyGivesUpOnIsDeadLetteredRecordByRecord() {
		BatchHandler batch = new BatchHandler(Integer.MAX_VALUE);
		this.dispatcher = dispatcher(List.of(batchEndpoint("batch", batch, EventType.values())), new FixedBackOff(1, 1));

		boolean done = dispatchBatch(List.of(record(OperationType.INSERT, "1"),
				record(OperationType.MODIFY, "2")), "shard-1");

		assertThat(done).isTrue();
		assertThat(this.deadLetters).extracting((deadLetter) -> deadLetter.source().sequenceNumber()).containsExactly("1", "2");
		assertThat(this.deadLetters).allSatisfy((deadLetter) -> {
			assertThat(deadLetter.source().triggerId()).isEqualTo("batch");
			assertThat(deadLetter.failure().reason()).isEqualTo(DeadLetterReason.RETRIES_EXHAUSTED);
			assertThat(deadLetter.failure().attempts()).isEqualTo(2);
		});
	}

	@Test
	void recordsGoOneByOneOnlyToRecordTriggersAndAsABatchOnlyToBatchTriggers() {
		List<String> order = new CopyOnWriteArrayList<>();
		BatchHandler batch = new BatchHandler(0, order);
		this.dispatcher = dispatcher(List.of(batchEndpoint("batch", batch, EventType.values()),
				endpoint("audit", new RecordingHandler("audit", order), EventType.values())), RETRY_AT_ONCE);

		this.dispatcher.deliver(record(OperationType.INSERT, "1"), "shard-1");
		this.dispatcher.deliver(record(OperationType.MODIFY, "2"), "shard-1");
		dispatchBatch(List.of(record(OperationType.INSERT, "1"), record(OperationType.MODIFY, "2")),
				"shard-1");

		assertThat(order).containsExactly("audit", "audit", "batch");
		assertThat(this.dispatcher.hasRecordTriggers()).isTrue();
		assertThat(this.dispatcher.batchTriggers()).extracting(ActiveTrigger::id).containsExactly("batch");
	}

	@Test
	void aRecordABatchTriggerDoesNotAcceptCountsAsFilteredWhenItIsLeftOut() {
		RecordingMeters meters = new RecordingMeters();
		ActiveTrigger trigger = new ActiveTrigger(batchEndpoint("batch", new BatchHandler(0), EventType.INSERT),
				ErrorPolicies.standard(), meters);
		this.dispatcher = dispatcherOf(List.of(trigger), RETRY_AT_ONCE);

		assertThat(this.dispatcher.accepts(trigger, record(OperationType.INSERT, "1"))).isTrue();
		assertThat(this.dispatcher.accepts(trigger, record(OperationType.REMOVE, "2"))).isFalse();
		assertThat(meters.results).containsExactly(RecordResult.FILTERED);
	}

	@Test
	void aRecordOfAnUnknownEventTypeIsLeftInTheBatchWhereItsFailingFilterIsRetried() throws Exception {
		RecordingMeters meters = new RecordingMeters();
		BatchHandler batch = new BatchHandler(0);
		ActiveTrigger trigger = new ActiveTrigger(batchEndpoint("batch", batch, EventType.INSERT),
				new ErrorPolicy(new FixedBackOff(1, FixedBackOff.UNLIMITED_ATTEMPTS), Set.of(), null), meters);
		this.dispatcher = dispatcherOf(List.of(trigger), RETRY_AT_ONCE);
		Record unknown = record(OperationType.INSERT, "1").toBuilder().eventName("FUTURE").build();

		assertThat(this.dispatcher.accepts(trigger, unknown)).isTrue();
		CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(() -> dispatchBatch(List.of(unknown), "shard-1"));
		for (int i = 0; i < 400 && !meters.results.contains(RecordResult.RETRIED); i++) {
			Thread.sleep(5);
		}
		this.stop.stop();

		assertThat(meters.results).contains(RecordResult.RETRIED);

		assertThat(done.get(2, TimeUnit.SECONDS)).isFalse();
		assertThat(batch.batches).isEmpty();
		assertThat(meters.results).doesNotContain(RecordResult.FILTERED, RecordResult.HANDLED);
	}

	@Test
	void aLastChanceCallsABatchTriggerOnceThoughTheConsumerIsStopping() {
		BatchHandler batch = new BatchHandler(0);
		this.dispatcher = dispatcher(List.of(batchEndpoint("batch", batch, EventType.values())), RETRY_AT_ONCE);
		this.stop.stop();

		assertThat(this.dispatcher.deliverBatch(this.dispatcher.batchTriggers().get(0),
				List.of(record(OperationType.INSERT, "1")), "shard-1", true)).isTrue();
		assertThat(batch.batches).hasSize(1);
	}

	@Test
	void aLastChanceThatFailsIsNotRetriedAndLeavesTheBatchNotDone() {
		BatchHandler batch = new BatchHandler(1);
		this.dispatcher = dispatcher(List.of(batchEndpoint("batch", batch, EventType.values())), RETRY_AT_ONCE);
		this.stop.stop();

		assertThat(this.dispatcher.deliverBatch(this.dispatcher.batchTriggers().get(0),
				List.of(record(OperationType.INSERT, "1")), "shard-1", true)).isFalse();
		assertThat(batch.batches).hasSize(1);
		assertThat(this.deadLetters).isEmpty();
	}

	@Test
	void aLastChanceDoesNotCallAPausedBatchTrigger() {
		BatchHandler batch = new BatchHandler(0);
		ActiveTrigger trigger = new ActiveTrigger(batchEndpoint("batch", batch, EventType.values()),
				ErrorPolicies.standard(), TriggerMetrics.NONE.trigger("batch", "Reviews"));
		trigger.pause().pause();
		this.dispatcher = dispatcherOf(List.of(trigger), RETRY_AT_ONCE);
		this.stop.stop();

		assertThat(this.dispatcher.deliverBatch(trigger, List.of(record(OperationType.INSERT, "1")), "shard-1", true))
			.isFalse();
		assertThat(batch.batches).isEmpty();
	}

	@Test
	void noBatchTriggerIsCalledAfterStop() {
		BatchHandler batch = new BatchHandler(0);
		this.dispatcher = dispatcher(List.of(batchEndpoint("batch", batch, EventType.values())), RETRY_AT_ONCE);
		this.stop.stop();

		assertThat(dispatchBatch(List.of(record(OperationType.INSERT, "1")), "shard-1")).isFalse();
		assertThat(batch.batches).isEmpty();
	}

	@Test
	void batchCallIsOneHandlerSampleAndEachRecordOfItCountsForTheTrigger() {
		RecordingMeters meters = new RecordingMeters();
		BatchHandler batch = new BatchHandler(1);
		this.dispatcher = dispatcherOf(List.of(new ActiveTrigger(batchEndpoint("batch", batch, EventType.INSERT,
				EventType.MODIFY), new ErrorPolicy(RETRY_AT_ONCE, Set.of(), null), meters)), RETRY_AT_ONCE);

		dispatchBatch(List.of(record(OperationType.INSERT, "1"), record(OperationType.REMOVE, "2"),
				record(OperationType.MODIFY, "3")), "shard-1");

		assertThat(meters.results).containsExactly(RecordResult.FILTERED, RecordResult.RETRIED, RecordResult.RETRIED,
				RecordResult.HANDLED, RecordResult.HANDLED);
		assertThat(meters.failedCalls).hasValue(1);
		assertThat(meters.succeededCalls).hasValue(1);
	}

	@Test
	void eachRecordOfABatchThePolicyGivesUpOnCountsAsDeadLettered() {
		RecordingMeters meters = new RecordingMeters();
		BatchHandler batch = new BatchHandler(Integer.MAX_VALUE);
		this.dispatcher = dispatcherOf(List.of(new ActiveTrigger(batchEndpoint("batch", batch, EventType.values()),
				new ErrorPolicy(new FixedBackOff(1, 0), Set.of(), null), meters)), RETRY_AT_ONCE);

		dispatchBatch(List.of(record(OperationType.INSERT, "1"), record(OperationType.MODIFY, "2")),
				"shard-1");

		assertThat(meters.results).containsExactly(RecordResult.DEAD_LETTERED, RecordResult.DEAD_LETTERED);
		assertThat(meters.failedCalls).hasValue(1);
		assertThat(this.deadLetters).extracting((deadLetter) -> deadLetter.source().sequenceNumber()).containsExactly("1", "2");
	}

	@Test
	void recordsOfABatchOlderThanTheMaximumAgeAreDeadLetteredAndTheRestIsHandled() {
		RecordingMeters meters = new RecordingMeters();
		BatchHandler batch = new BatchHandler(0);
		this.dispatcher = dispatcherOf(List.of(new ActiveTrigger(batchEndpoint("batch", batch, EventType.values()),
				new ErrorPolicy(RETRY_AT_ONCE, Set.of(), Duration.ofHours(1)), meters)), RETRY_AT_ONCE);
		Record old = record(OperationType.INSERT, "1").toBuilder()
			.dynamodb((change) -> change.keys(Map.of("id", AttributeValue.fromS("r1")))
				.sequenceNumber("1")
				.approximateCreationDateTime(NOW.minus(Duration.ofMinutes(61))))
			.build();

		assertThat(dispatchBatch(List.of(old, record(OperationType.MODIFY, "2")), "shard-1")).isTrue();

		assertThat(batch.batches).singleElement()
			.satisfies((changes) -> assertThat(changes).extracting(ItemChange::sequenceNumber).containsExactly("2"));
		assertThat(this.deadLetters).singleElement().satisfies((deadLetter) -> {
			assertThat(deadLetter.source().sequenceNumber()).isEqualTo("1");
			assertThat(deadLetter.failure().reason()).isEqualTo(DeadLetterReason.RECORD_TOO_OLD);
		});
		assertThat(meters.results).containsExactly(RecordResult.EXPIRED, RecordResult.HANDLED);
	}

	@Test
	void pausedBatchTriggerIsNotCalledAndItsBatchStaysNotDoneAtOnce() {
		BatchHandler batch = new BatchHandler(0);
		ActiveTrigger trigger = new ActiveTrigger(batchEndpoint("batch", batch, EventType.values()),
				ErrorPolicies.standard(), TriggerMetrics.NONE.trigger("batch", "Reviews"));
		trigger.pause().pause();
		this.dispatcher = dispatcherOf(List.of(trigger), RETRY_AT_ONCE);

		boolean done = dispatchBatch(List.of(record(OperationType.INSERT, "1"), record(OperationType.MODIFY, "2")),
				"shard-1");
		trigger.pause().resume();
		boolean doneAfterResume = dispatchBatch(List.of(record(OperationType.INSERT, "1"),
				record(OperationType.MODIFY, "2")), "shard-1");

		assertThat(done).isFalse();
		assertThat(doneAfterResume).isTrue();
		assertThat(batch.batches).singleElement().satisfies((changes) -> assertThat(changes).hasSize(2));
	}

	@Test
	void recordTheContentFilterRejectsIsDoneWithoutACall() {
		RecordingHandler handler = new RecordingHandler("audit", this.calls);
		this.dispatcher = dispatcher(List.of(new TriggerEndpoint("audit", "Reviews", ViewType.NEW_AND_OLD_IMAGES,
				EnumSet.allOf(EventType.class), (record) -> false, BatchSettings.DEFAULTS, invoker(handler))),
				RETRY_AT_ONCE);

		assertThat(this.dispatcher.deliver(record(OperationType.INSERT), "shard-1")).isTrue();
		assertThat(this.calls).isEmpty();
	}

	@Test
	void filteredRecordIsNotDeadLetteredForItsAge() {
		this.dispatcher = dispatcher(
				List.of(endpoint("inserts", new RecordingHandler("inserts", this.calls), EventType.INSERT)),
				(id) -> new ErrorPolicy(RETRY_AT_ONCE, Set.of(), Duration.ofHours(1)), RETRY_AT_ONCE);
		Record oldRemove = record(OperationType.REMOVE).toBuilder()
			.dynamodb((change) -> change.keys(Map.of("id", AttributeValue.fromS("r1")))
				.sequenceNumber("104")
				.approximateCreationDateTime(NOW.minus(Duration.ofHours(2))))
			.build();

		assertThat(this.dispatcher.deliver(oldRemove, "shard-1")).isTrue();
		assertThat(this.deadLetters).isEmpty();
	}

	@Test
	void recordTriggerGetsItsAttemptNumberInTheContext() {
		ContextHandler handler = new ContextHandler(1);
		this.dispatcher = dispatcher(List.of(new TriggerEndpoint("audit", "Reviews", ViewType.NEW_AND_OLD_IMAGES,
				EnumSet.allOf(EventType.class), HandlerInvoker.prepare(handler,
						ReflectionUtils.findMethod(ContextHandler.class, "onChange", ItemChange.class,
								TriggerContext.class),
						ViewType.NEW_AND_OLD_IMAGES, EnumSet.allOf(EventType.class)))),
				RETRY_AT_ONCE);

		this.dispatcher.deliver(record(OperationType.INSERT), "shard-1");

		assertThat(handler.contexts).extracting(TriggerContext::attempt).containsExactly(1, 2);
		assertThat(handler.contexts).extracting(TriggerContext::sequenceNumber).containsOnly("100");
	}

	@Test
	void aTriggersStreamRecordWaitsForItsBackfillThenGoesOnUnlessTheScanCoversIt() throws Exception {
		ActiveTrigger trigger = new ActiveTrigger(endpoint("summary", new RecordingHandler("summary", this.calls),
				EventType.values()), new ErrorPolicy(RETRY_AT_ONCE, Set.of(), null), TriggerMetrics.NONE.trigger("summary", "Reviews"));
		FakeSeam seam = new FakeSeam(NOW);
		trigger.seam(seam);
		this.dispatcher = dispatcherOf(List.of(trigger), RETRY_AT_ONCE);
		Record covered = created(record(OperationType.INSERT, "1"), NOW.minusSeconds(1));
		Record after = created(record(OperationType.MODIFY, "2"), NOW);
		CompletableFuture<Boolean> delivering = CompletableFuture
			.supplyAsync(() -> this.dispatcher.deliver(covered, "shard-1") && this.dispatcher.deliver(after, "shard-1"));

		Thread.sleep(300);
		assertThat(delivering).as("held while the scan runs").isNotDone();
		assertThat(this.calls).isEmpty();
		seam.scanned = true;

		assertThat(delivering.get(5, TimeUnit.SECONDS)).isTrue();
		assertThat(this.calls).as("only the record the scan does not cover").containsExactly("summary");
		assertThat(seam.covered).containsExactly("1");
	}

	@Test
	void aStreamRecordHeldForABackfillWhenTheConsumerStopsIsNotDone() throws Exception {
		ActiveTrigger trigger = new ActiveTrigger(endpoint("summary", new RecordingHandler("summary", this.calls),
				EventType.values()), new ErrorPolicy(RETRY_AT_ONCE, Set.of(), null), TriggerMetrics.NONE.trigger("summary", "Reviews"));
		trigger.seam(new FakeSeam(NOW));
		this.dispatcher = dispatcherOf(List.of(trigger), RETRY_AT_ONCE);
		CompletableFuture<Boolean> delivering = CompletableFuture
			.supplyAsync(() -> this.dispatcher.deliver(created(record(OperationType.INSERT, "1"), NOW), "shard-1"));

		Thread.sleep(200);
		this.stop.stop();

		assertThat(delivering.get(5, TimeUnit.SECONDS)).isFalse();
		assertThat(this.calls).isEmpty();
	}

	@Test
	void backfillChangesGoThroughTheTriggersFilterAndErrorPolicyWithoutWaitingForTheSeam() {
		FailingHandler handler = new FailingHandler(1);
		ActiveTrigger inserts = new ActiveTrigger(endpoint("flaky", handler, EventType.INSERT),
				new ErrorPolicy(RETRY_AT_ONCE, Set.of(), null), TriggerMetrics.NONE.trigger("flaky", "Reviews"));
		inserts.seam(new FakeSeam(NOW));
		this.dispatcher = dispatcherOf(List.of(inserts), RETRY_AT_ONCE);

		assertThat(this.dispatcher.deliverBackfill(inserts, List.of(record(OperationType.INSERT, "0-1-0"),
				record(OperationType.MODIFY, "0-1-1")))).isTrue();
		assertThat(handler.calls()).as("the INSERT: failed once, called again; the MODIFY filtered").isEqualTo(2);
	}

	private static Record created(Record record, Instant created) {
		return record.toBuilder()
			.dynamodb(record.dynamodb().toBuilder().approximateCreationDateTime(created).build())
			.build();
	}

	/**
	 * A backfill whose scan began at a given time and is done when the test says so.
	 */
	static final class FakeSeam implements StreamSeam {

		private final Instant scanStarted;

		volatile boolean scanned;

		final List<String> covered = new CopyOnWriteArrayList<>();

		FakeSeam(Instant scanStarted) {
			this.scanStarted = scanStarted;
		}

		@Override
		public boolean isScanned() {
			return this.scanned;
		}

		@Override
		public boolean covers(Record record) {
			if (record.dynamodb().approximateCreationDateTime().isBefore(this.scanStarted)) {
				this.covered.add(record.dynamodb().sequenceNumber());
				return true;
			}
			return false;
		}

	}

	private RecordPipeline dispatcher(List<TriggerEndpoint> endpoints, BackOff retries) {
		return dispatcher(endpoints, (id) -> new ErrorPolicy(retries, ErrorPolicies.standard().nonRetryable(), null),
				RETRY_AT_ONCE);
	}

	private RecordPipeline dispatcher(List<TriggerEndpoint> endpoints, Function<String, ErrorPolicy> policies,
			BackOff deadLetterBackOff) {
		return dispatcherOf(endpoints.stream()
			.map((endpoint) -> new ActiveTrigger(endpoint, policies.apply(endpoint.id()),
					TriggerMetrics.NONE.trigger(endpoint.id(), "Reviews")))
			.toList(), deadLetterBackOff);
	}

	/**
	 * Gathers the records the dispatcher's one batch trigger accepts, as a shard's pending batch does, and
	 * delivers them as one batch.
	 */
	private boolean dispatchBatch(List<Record> records, String shardId) {
		ActiveTrigger trigger = this.dispatcher.batchTriggers().get(0);
		List<Record> accepted = records.stream().filter((record) -> this.dispatcher.accepts(trigger, record)).toList();
		return accepted.isEmpty() || this.dispatcher.deliverBatch(trigger, accepted, shardId, false);
	}

	private RecordPipeline dispatcherOf(List<ActiveTrigger> triggers, BackOff deadLetterBackOff) {
		return new RecordPipeline("Reviews", triggers,
				new RetryingDeadLetterPublisher((deadLetter) -> this.deadLetterHandler.handle(deadLetter),
						deadLetterBackOff, this.stop),
				this.stop, Clock.fixed(NOW, ZoneOffset.UTC), ObservationRegistry.NOOP);
	}

	@Test
	void everyOutcomeIsCountedForItsTrigger() {
		RecordingMeters meters = new RecordingMeters();
		FailingHandler flaky = new FailingHandler(1);
		this.dispatcher = dispatcherOf(List.of(new ActiveTrigger(endpoint("flaky", flaky, EventType.INSERT),
				new ErrorPolicy(new FixedBackOff(1, 1), Set.of(), null), meters)), RETRY_AT_ONCE);

		this.dispatcher.deliver(record(OperationType.INSERT), "shard-1");
		this.dispatcher.deliver(record(OperationType.REMOVE), "shard-1");
		this.dispatcher.deliver(record(OperationType.INSERT), "shard-1");
		flaky.failAlways();
		this.dispatcher.deliver(record(OperationType.INSERT), "shard-1");

		assertThat(meters.results).containsExactly(RecordResult.RETRIED, RecordResult.HANDLED, RecordResult.FILTERED,
				RecordResult.HANDLED, RecordResult.RETRIED, RecordResult.DEAD_LETTERED);
		assertThat(meters.failedCalls).hasValue(3);
		assertThat(meters.succeededCalls).hasValue(2);
	}

	@Test
	void pausedTriggerIsNotCalledItsRecordIsHeldAndTheOtherTriggerGetsItAtOnce() {
		ActiveTrigger audit = new ActiveTrigger(endpoint("audit", new RecordingHandler("audit", this.calls),
				EventType.values()), ErrorPolicies.standard(), TriggerMetrics.NONE.trigger("audit", "Reviews"));
		ActiveTrigger notify = new ActiveTrigger(endpoint("notify", new RecordingHandler("notify", this.calls),
				EventType.values()), ErrorPolicies.standard(), TriggerMetrics.NONE.trigger("notify", "Reviews"));
		this.dispatcher = dispatcherOf(List.of(audit, notify), RETRY_AT_ONCE);
		ShardBacklog backlog = new ShardBacklog(2);
		audit.pause().pause();

		boolean done = this.dispatcher.deliver(record(OperationType.INSERT, "7"), "shard-1", 0, backlog);

		assertThat(done).isTrue();
		assertThat(this.calls).containsExactly("notify");
		assertThat(backlog.of(0).size()).isEqualTo(1);
		assertThat(backlog.of(1).isEmpty()).isTrue();
		assertThat(backlog.firstHeld()).isZero();
		assertThat(backlog.oldestSequenceNumber()).isEqualTo("7");
	}

	@Test
	void whileRecordsAreHeldForAResumedTriggerItsNextRecordsAreHeldBehindThemUntilDeliveredInOrder() {
		List<String> sequenceNumbers = new CopyOnWriteArrayList<>();
		ActiveTrigger audit = new ActiveTrigger(endpoint("audit", new SequenceHandler(sequenceNumbers),
				EventType.values()), ErrorPolicies.standard(), TriggerMetrics.NONE.trigger("audit", "Reviews"));
		this.dispatcher = dispatcherOf(List.of(audit), RETRY_AT_ONCE);
		ShardBacklog backlog = new ShardBacklog(1);
		audit.pause().pause();
		this.dispatcher.deliver(record(OperationType.INSERT, "1"), "shard-1", 0, backlog);
		this.dispatcher.deliver(record(OperationType.INSERT, "2"), "shard-1", 1, backlog);
		audit.pause().resume();

		this.dispatcher.deliver(record(OperationType.INSERT, "3"), "shard-1", 2, backlog);
		List<String> beforeDelivery = List.copyOf(sequenceNumbers);
		boolean delivered = this.dispatcher.deliverHeld(backlog, "shard-1");

		assertThat(beforeDelivery).isEmpty();
		assertThat(delivered).isTrue();
		assertThat(sequenceNumbers).containsExactly("1", "2", "3");
		assertThat(backlog.firstHeld()).isEqualTo(Long.MAX_VALUE);
	}

	@Test
	void heldRecordsOfATriggerPausedAgainStayHeld() {
		ActiveTrigger audit = new ActiveTrigger(endpoint("audit", new RecordingHandler("audit", this.calls),
				EventType.values()), ErrorPolicies.standard(), TriggerMetrics.NONE.trigger("audit", "Reviews"));
		this.dispatcher = dispatcherOf(List.of(audit), RETRY_AT_ONCE);
		ShardBacklog backlog = new ShardBacklog(1);
		audit.pause().pause();
		this.dispatcher.deliver(record(OperationType.INSERT, "1"), "shard-1", 0, backlog);

		boolean delivered = this.dispatcher.deliverHeld(backlog, "shard-1");

		assertThat(delivered).isTrue();
		assertThat(this.calls).isEmpty();
		assertThat(backlog.of(0).size()).isEqualTo(1);
	}

	@Test
	void pauseDuringTheBackOffOfARetryStopsTheRetriesAndHoldsTheRecordWithoutCountingARetry() throws Exception {
		RecordingMeters meters = new RecordingMeters();
		FailingHandler flaky = new FailingHandler(1);
		ActiveTrigger trigger = new ActiveTrigger(endpoint("flaky", flaky, EventType.INSERT),
				new ErrorPolicy(new FixedBackOff(60_000, FixedBackOff.UNLIMITED_ATTEMPTS), Set.of(), null), meters);
		this.dispatcher = dispatcherOf(List.of(trigger), RETRY_AT_ONCE);
		ShardBacklog backlog = new ShardBacklog(1);
		CompletableFuture<Boolean> done = CompletableFuture
			.supplyAsync(() -> this.dispatcher.deliver(record(OperationType.INSERT, "5"), "shard-1", 4, backlog));
		Thread.sleep(200);

		long pausedAt = System.nanoTime();
		trigger.pause().pause();

		assertThat(done.get(2, TimeUnit.SECONDS)).isTrue();
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pausedAt)).isLessThan(1_000);
		assertThat(meters.failedCalls).hasValue(1);
		assertThat(meters.results).doesNotContain(RecordResult.RETRIED);
		assertThat(backlog.firstHeld()).isEqualTo(4);
	}

	@Test
	void theLambdaPathNeverHoldsARecord() {
		ActiveTrigger audit = new ActiveTrigger(endpoint("audit", new RecordingHandler("audit", this.calls),
				EventType.values()), ErrorPolicies.standard(), TriggerMetrics.NONE.trigger("audit", "Reviews"));
		this.dispatcher = dispatcherOf(List.of(audit), RETRY_AT_ONCE);
		audit.pause().pause();

		assertThat(this.dispatcher.deliver(record(OperationType.INSERT), "shard-1")).isFalse();
		assertThat(this.calls).isEmpty();
	}

	private static TriggerEndpoint endpoint(String id, Object handler, EventType... events) {
		Method method = ReflectionUtils.findMethod(handler.getClass(), "onChange", ItemChange.class);
		return new TriggerEndpoint(id, "Reviews", ViewType.NEW_AND_OLD_IMAGES, EnumSet.copyOf(List.of(events)),
				HandlerInvoker.prepare(handler, method, ViewType.NEW_AND_OLD_IMAGES, Set.of(events)));
	}

	@Test
	void batchFailureExceptionHasOnlyTheRecordsItNamesDeliveredAgain() {
		SelectiveBatchHandler batch = new SelectiveBatchHandler((changes) -> changes.size() == 3
				? BatchFailureException.of(List.of(changes.get(1)), new IllegalStateException("record 2 failed"))
				: null);
		this.dispatcher = dispatcher(List.of(selectiveBatchEndpoint(batch)), RETRY_AT_ONCE);

		boolean done = dispatchBatch(List.of(record(OperationType.INSERT, "1"),
				record(OperationType.INSERT, "2"), record(OperationType.INSERT, "3")), "shard-1");

		assertThat(done).isTrue();
		assertThat(batch.batches).containsExactly(List.of("1", "2", "3"), List.of("2"));
		assertThat(this.deadLetters).isEmpty();
	}

	@Test
	void recordsABatchKeepsNamingAsFailedAreDeadLetteredAloneWhenRetriesAreUsedUp() {
		SelectiveBatchHandler batch = new SelectiveBatchHandler((changes) -> BatchFailureException.of(
				changes.stream().filter((change) -> change.sequenceNumber().equals("2")).toList(), null));
		this.dispatcher = dispatcher(List.of(selectiveBatchEndpoint(batch)), new FixedBackOff(1, 1));

		dispatchBatch(List.of(record(OperationType.INSERT, "1"), record(OperationType.INSERT, "2"),
				record(OperationType.INSERT, "3")), "shard-1");

		assertThat(batch.batches).containsExactly(List.of("1", "2", "3"), List.of("2"));
		assertThat(this.deadLetters).extracting((deadLetter) -> deadLetter.source().sequenceNumber()).containsExactly("2");
	}

	@Test
	void bisectingAFailingBatchIsolatesTheBadRecordAndDeliversTheRestInOrder() {
		SelectiveBatchHandler batch = new SelectiveBatchHandler((changes) -> changes.stream()
			.anyMatch((change) -> change.sequenceNumber().equals("3")) ? new IllegalStateException("poison") : null);
		ActiveTrigger trigger = new ActiveTrigger(selectiveBatchEndpoint(batch),
				new ErrorPolicy(new FixedBackOff(1, 1), Set.of(), null, true), TriggerMetrics.NONE.trigger("batch",
						"Reviews"));
		this.dispatcher = dispatcherOf(List.of(trigger), RETRY_AT_ONCE);

		boolean done = dispatchBatch(List.of(record(OperationType.INSERT, "1"),
				record(OperationType.INSERT, "2"), record(OperationType.INSERT, "3"), record(OperationType.INSERT, "4")),
				"shard-1");

		assertThat(done).isTrue();
		assertThat(batch.batches).containsExactly(List.of("1", "2", "3", "4"), List.of("1", "2"), List.of("3", "4"),
				List.of("3"), List.of("3"), List.of("4"));
		assertThat(this.deadLetters).extracting((deadLetter) -> deadLetter.source().sequenceNumber()).containsExactly("3");
	}

	@Test
	void withoutBisectingAFailingBatchIsDeadLetteredWhole() {
		SelectiveBatchHandler batch = new SelectiveBatchHandler((changes) -> changes.stream()
			.anyMatch((change) -> change.sequenceNumber().equals("3")) ? new IllegalStateException("poison") : null);
		this.dispatcher = dispatcher(List.of(selectiveBatchEndpoint(batch)), new FixedBackOff(1, 0));

		dispatchBatch(List.of(record(OperationType.INSERT, "2"), record(OperationType.INSERT, "3")),
				"shard-1");

		assertThat(this.deadLetters).extracting((deadLetter) -> deadLetter.source().sequenceNumber()).containsExactly("2", "3");
	}

	private static TriggerEndpoint selectiveBatchEndpoint(SelectiveBatchHandler handler) {
		Method method = ReflectionUtils.findMethod(SelectiveBatchHandler.class, "onChanges", List.class);
		return new TriggerEndpoint("batch", "Reviews", ViewType.NEW_AND_OLD_IMAGES, EnumSet.allOf(EventType.class),
				HandlerInvoker.prepare(handler, method, ViewType.NEW_AND_OLD_IMAGES, EnumSet.allOf(EventType.class)));
	}

	/**
	 * A batch trigger that fails as its rule says, and remembers the sequence numbers of each call.
	 */
	static final class SelectiveBatchHandler {

		private final Function<List<ItemChange<Review>>, RuntimeException> failure;

		final List<List<String>> batches = new CopyOnWriteArrayList<>();

		SelectiveBatchHandler(Function<List<ItemChange<Review>>, RuntimeException> failure) {
			this.failure = failure;
		}

		void onChanges(List<ItemChange<Review>> changes) {
			this.batches.add(changes.stream().map(ItemChange::sequenceNumber).toList());
			RuntimeException exception = this.failure.apply(changes);
			if (exception != null) {
				throw exception;
			}
		}

	}

	private static TriggerEndpoint batchEndpoint(String id, BatchHandler handler, EventType... events) {
		Method method = ReflectionUtils.findMethod(BatchHandler.class, "onChanges", List.class, TriggerContext.class);
		return new TriggerEndpoint(id, "Reviews", ViewType.NEW_AND_OLD_IMAGES, EnumSet.copyOf(List.of(events)),
				HandlerInvoker.prepare(handler, method, ViewType.NEW_AND_OLD_IMAGES, Set.of(events)));
	}

	private static HandlerInvoker invoker(RecordingHandler handler) {
		return HandlerInvoker.prepare(handler, ReflectionUtils.findMethod(handler.getClass(), "onChange",
				ItemChange.class), ViewType.NEW_AND_OLD_IMAGES, EnumSet.allOf(EventType.class));
	}

	private static Record record(OperationType operation, String sequenceNumber) {
		Record record = record(operation);
		return record.toBuilder()
			.dynamodb(record.dynamodb().toBuilder().sequenceNumber(sequenceNumber).build())
			.build();
	}

	private static Record record(OperationType operation) {
		Map<String, AttributeValue> image = Map.of("id", AttributeValue.fromS("r1"), "rating",
				AttributeValue.fromN("5"));
		return Record.builder()
			.eventID("event-1")
			.eventName(operation)
			.dynamodb(StreamRecord.builder()
				.keys(Map.of("id", AttributeValue.fromS("r1")))
				.newImage(image)
				.sequenceNumber("100")
				.build())
			.build();
	}

	static final class SequenceHandler {

		private final List<String> sequenceNumbers;

		SequenceHandler(List<String> sequenceNumbers) {
			this.sequenceNumbers = sequenceNumbers;
		}

		void onChange(ItemChange<Review> change) {
			this.sequenceNumbers.add(change.sequenceNumber());
		}

	}

	static final class RecordingHandler {

		private final String name;

		private final List<String> calls;

		RecordingHandler(String name, List<String> calls) {
			this.name = name;
			this.calls = calls;
		}

		void onChange(ItemChange<Review> change) {
			this.calls.add(this.name);
		}

	}

	static final class BatchHandler {

		private final int failures;

		private final List<String> order;

		final List<List<ItemChange<Review>>> batches = new CopyOnWriteArrayList<>();

		final List<TriggerContext> contexts = new CopyOnWriteArrayList<>();

		BatchHandler(int failures) {
			this(failures, new CopyOnWriteArrayList<>());
		}

		BatchHandler(int failures, List<String> order) {
			this.failures = failures;
			this.order = order;
		}

		void onChanges(List<ItemChange<Review>> changes, TriggerContext context) {
			this.batches.add(changes);
			this.contexts.add(context);
			this.order.add("batch");
			if (this.batches.size() <= this.failures) {
				throw new IllegalStateException("failure " + this.batches.size());
			}
		}

	}

	static final class ContextHandler {

		private final int failures;

		final List<TriggerContext> contexts = new CopyOnWriteArrayList<>();

		ContextHandler(int failures) {
			this.failures = failures;
		}

		void onChange(ItemChange<Review> change, TriggerContext context) {
			this.contexts.add(context);
			if (this.contexts.size() <= this.failures) {
				throw new IllegalStateException("failure " + this.contexts.size());
			}
		}

	}

	static final class RecordingMeters implements TriggerMeters {

		final List<RecordResult> results = new CopyOnWriteArrayList<>();

		final AtomicInteger failedCalls = new AtomicInteger();

		final AtomicInteger succeededCalls = new AtomicInteger();

		@Override
		public void handlerCall(long nanos, Throwable failure) {
			((failure != null) ? this.failedCalls : this.succeededCalls).incrementAndGet();
		}

		@Override
		public void record(RecordResult result) {
			this.results.add(result);
		}

	}

	static final class FailingHandler {

		private volatile int failures;

		private final AtomicInteger calls = new AtomicInteger();

		final CountDownLatch firstCall = new CountDownLatch(1);

		FailingHandler(int failures) {
			this.failures = failures;
		}

		void onChange(ItemChange<Review> change) {
			int call = this.calls.incrementAndGet();
			this.firstCall.countDown();
			if (call <= this.failures) {
				throw new IllegalStateException("failure " + call);
			}
		}

		int calls() {
			return this.calls.get();
		}

		void failAlways() {
			this.failures = Integer.MAX_VALUE;
		}

	}

}
