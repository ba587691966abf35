package io.dynamotrigger.listener;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import com.amazonaws.services.dynamodbv2.streamsadapter.model.DynamoDBStreamsProcessRecordsInput;
import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.Review;
import io.dynamotrigger.SettableClock;
import io.dynamotrigger.ViewType;
import io.dynamotrigger.config.BatchSettings;
import io.dynamotrigger.config.TriggerEndpoint;
import io.dynamotrigger.error.ErrorPolicy;
import io.dynamotrigger.lease.LastShardEnd;
import io.dynamotrigger.metrics.TriggerMetrics;
import io.dynamotrigger.pause.TriggerPause;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.backoff.FixedBackOff;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * How the reads of a shard go to per-record triggers and, gathered into batches, to batch triggers, and how
 * far they let the checkpoint go.
 */
class ShardProcessorTests {

	private static final String SHARD_END = "SHARD_END";

	private static final ErrorPolicy RETRY_AT_ONCE = new ErrorPolicy(
			new FixedBackOff(1, FixedBackOff.UNLIMITED_ATTEMPTS), Set.of(), null);

	private final List<String> calls = new CopyOnWriteArrayList<>();

	private final List<String> checkpointed = new CopyOnWriteArrayList<>();

	private final Map<String, ShardProgress> shards = new ConcurrentHashMap<>();

	private final SettableClock clock = new SettableClock();

	private final StopSignal stop = new StopSignal();

	private final ReadGate gate = new ReadGate();

	private RecordPipeline dispatcher;

	private ShardProcessor processor;

	@AfterEach
	void release() {
		this.stop.stop();
		if (this.processor != null) {
			this.processor.leaseLost(LeaseLostInput.builder().build());
		}
	}

	@Test
	void recordTriggersGetAReadRecordByRecordBeforeBatchTriggersGetIt() {
		this.processor = processor(1, trigger(new RecordTrigger(this.calls), RETRY_AT_ONCE),
				trigger(new BatchTrigger(this.calls, 0), RETRY_AT_ONCE));

		String done = this.processor.handle(read(3));

		assertThat(this.calls).containsExactly("record 1", "record 2", "record 3", "batch [1, 2, 3]");
		assertThat(done).isEqualTo("3");
	}

	@Test
	void onLanesBatchTriggersGetTheReadOnceEveryLaneIsDone() {
		this.processor = processor(4, trigger(new RecordTrigger(this.calls), RETRY_AT_ONCE),
				trigger(new BatchTrigger(this.calls, 0), RETRY_AT_ONCE));

		String done = this.processor.handle(read(8));

		assertThat(this.calls).hasSize(9).last().isEqualTo("batch [1, 2, 3, 4, 5, 6, 7, 8]");
		assertThat(this.calls.subList(0, 8)).containsExactlyInAnyOrder("record 1", "record 2", "record 3",
				"record 4", "record 5", "record 6", "record 7", "record 8");
		assertThat(done).isEqualTo("8");
	}

	@Test
	void stopDuringTheRecordTriggersLeavesTheWholeReadNotDoneForBatchTriggers() {
		this.processor = processor(1, trigger(new RecordTrigger(this.calls), RETRY_AT_ONCE),
				trigger(new BatchTrigger(this.calls, 0), RETRY_AT_ONCE));
		this.stop.stop();

		assertThat(this.processor.handle(read(2))).isNull();
		assertThat(this.calls).isEmpty();
	}

	@Test
	void stopDuringABatchTriggerLeavesTheWholeReadNotDoneThoughRecordTriggersAreDone() throws Exception {
		BatchTrigger batch = new BatchTrigger(this.calls, Integer.MAX_VALUE);
		this.processor = processor(1, trigger(new RecordTrigger(this.calls), RETRY_AT_ONCE),
				trigger(batch, new ErrorPolicy(new FixedBackOff(10_000, FixedBackOff.UNLIMITED_ATTEMPTS), Set.of(),
						null)));
		CompletableFuture<String> done = CompletableFuture.supplyAsync(() -> this.processor.handle(read(2)));
		assertThat(batch.firstCall.await(2, TimeUnit.SECONDS)).isTrue();

		this.stop.stop();

		assertThat(done.get(2, TimeUnit.SECONDS)).isNull();
		assertThat(this.calls).containsExactly("record 1", "record 2", "batch [1, 2]");
	}

	@Test
	void withoutBatchTriggersTheCheckpointGoesUpToTheFirstRecordThatIsNotDone() throws Exception {
		RecordTrigger failingOnTwo = new RecordTrigger(this.calls, "2");
		this.processor = processor(1, trigger(failingOnTwo,
				new ErrorPolicy(new FixedBackOff(10_000, FixedBackOff.UNLIMITED_ATTEMPTS), Set.of(), null)));
		CompletableFuture<String> done = CompletableFuture.supplyAsync(() -> this.processor.handle(read(3)));
		assertThat(failingOnTwo.failed.await(2, TimeUnit.SECONDS)).isTrue();

		this.stop.stop();

		assertThat(done.get(2, TimeUnit.SECONDS)).isEqualTo("1");
		assertThat(this.calls).containsExactly("record 1", "record 2");
	}

	@Test
	void batchTriggersAloneGetTheReadWithoutLanes() {
		this.processor = processor(4, trigger(new BatchTrigger(this.calls, 0), RETRY_AT_ONCE));

		assertThat(this.processor.handle(read(2))).isEqualTo("2");
		assertThat(this.calls).containsExactly("batch [1, 2]");
	}

	@Test
	void aReadLargerThanTheBatchSizeIsSplitIntoBatchesInStreamOrder() {
		this.processor = processor(1, batchTrigger("batch", new BatchTrigger(this.calls, 0), 2, Duration.ZERO));

		assertThat(this.processor.handle(read(1, 5))).isEqualTo("5");
		assertThat(this.calls).containsExactly("batch [1, 2]", "batch [3, 4]", "batch [5]");
	}

	@Test
	void withAWindowRecordsWaitAcrossReadsUntilABatchIsFullAndTheCheckpointStopsBeforeThem() {
		this.processor = processor(1, batchTrigger("batch", new BatchTrigger(this.calls, 0), 3, Duration.ofSeconds(10)));

		processRecords(read(1, 2));
		assertThat(this.calls).isEmpty();
		processRecords(read(3, 4));
		assertThat(this.calls).containsExactly("batch [1, 2, 3]");
		processRecords(read(5, 6));

		assertThat(this.calls).containsExactly("batch [1, 2, 3]", "batch [4, 5, 6]");
		assertThat(this.checkpointed).containsExactly("3", "6");
	}

	@Test
	void aBatchThatIsNotFullIsDeliveredOnAReadOnceItsWindowHasPassed() {
		this.processor = processor(1, batchTrigger("batch", new BatchTrigger(this.calls, 0), 100, Duration.ofSeconds(5)));

		processRecords(read(1, 2));
		this.clock.advance(Duration.ofMillis(4_999));
		processRecords(List.of());
		assertThat(this.calls).isEmpty();
		this.clock.advance(Duration.ofMillis(1));
		processRecords(List.of());

		assertThat(this.calls).containsExactly("batch [1, 2]");
		assertThat(this.checkpointed).containsExactly("2");
	}

	@Test
	void recordsLeftAfterAFullBatchWaitTheirOwnWindow() {
		this.processor = processor(1, batchTrigger("batch", new BatchTrigger(this.calls, 0), 2, Duration.ofSeconds(5)));

		processRecords(read(1, 1));
		this.clock.advance(Duration.ofSeconds(4));
		processRecords(read(2, 3));
		this.clock.advance(Duration.ofSeconds(4));
		processRecords(List.of());
		assertThat(this.calls).containsExactly("batch [1, 2]");
		this.clock.advance(Duration.ofSeconds(1));
		processRecords(List.of());

		assertThat(this.calls).containsExactly("batch [1, 2]", "batch [3]");
		assertThat(this.checkpointed).containsExactly("2", "3");
	}

	@Test
	void theCheckpointIsTheLowestPositionOfTheRecordAndBatchTriggers() {
		BatchTrigger pairs = new BatchTrigger(this.calls, 0);
		BatchTrigger triples = new BatchTrigger(this.calls, 0);
		this.processor = processor(1, trigger(new RecordTrigger(this.calls), RETRY_AT_ONCE),
				batchTrigger("pairs", pairs, 2, Duration.ofSeconds(10)),
				batchTrigger("triples", triples, 3, Duration.ofSeconds(10)));

		processRecords(read(1, 4));

		assertThat(this.calls).containsExactly("record 1", "record 2", "record 3", "record 4", "batch [1, 2]",
				"batch [3, 4]", "batch [1, 2, 3]");
		assertThat(this.checkpointed).containsExactly("3");
	}

	@Test
	void recordsABatchTriggerFiltersOutAreDoneForIt() {
		this.processor = processor(1, batchTrigger("batch", new BatchTrigger(this.calls, 0),
				(record) -> record.dynamodb().sequenceNumber().equals("3"), 100, Duration.ofSeconds(10)));

		processRecords(read(1, 2));
		processRecords(read(3, 4));

		assertThat(this.calls).isEmpty();
		assertThat(this.checkpointed).containsExactly("2");
	}

	@Test
	void aBatchWaitingForItsWindowIsNotInProgressButOneInAHandlerCallIs() throws Exception {
		BatchTrigger failing = new BatchTrigger(this.calls, Integer.MAX_VALUE);
		ActiveTrigger trigger = batchTrigger("batch", failing, 2, Duration.ofSeconds(10));
		this.processor = processor(1, trigger);

		this.processor.handle(read(1, 1));
		assertThat(this.shards.get("shard-1").status(null, StallRules.NEVER, 0).inFlightSequenceNumber()).isNull();
		CompletableFuture<String> done = CompletableFuture.supplyAsync(() -> this.processor.handle(read(2, 2)));
		assertThat(failing.firstCall.await(2, TimeUnit.SECONDS)).isTrue();

		assertThat(this.shards.get("shard-1").status(null, StallRules.NEVER, 0).inFlightSequenceNumber()).isEqualTo("1");
		this.stop.stop();
		assertThat(done.get(2, TimeUnit.SECONDS)).isNull();
	}

	@Test
	void aGracefulStopDeliversThePendingBatchesAndCheckpointsAfterThem() {
		this.processor = processor(1, trigger(new RecordTrigger(this.calls), RETRY_AT_ONCE),
				batchTrigger("batch", new BatchTrigger(this.calls, 0), 100, Duration.ofSeconds(10)));
		processRecords(read(1, 3));
		assertThat(this.checkpointed).isEmpty();

		this.stop.stop();
		this.processor.shutdownRequested(ShutdownRequestedInput.builder().checkpointer(checkpointer()).build());

		assertThat(this.calls).containsExactly("record 1", "record 2", "record 3", "batch [1, 2, 3]");
		assertThat(this.checkpointed).containsExactly("3");
	}

	@Test
	void aGracefulStopWhoseLastCallFailsCheckpointsBeforeThePendingBatch() {
		BatchTrigger batch = new BatchTrigger(this.calls, 0);
		this.processor = processor(1, trigger(new RecordTrigger(this.calls), RETRY_AT_ONCE),
				batchTrigger("batch", batch, 2, Duration.ofSeconds(10)));
		processRecords(read(1, 3));

		batch.failing = true;
		this.stop.stop();
		this.processor.shutdownRequested(ShutdownRequestedInput.builder().checkpointer(checkpointer()).build());

		assertThat(this.calls).containsExactly("record 1", "record 2", "record 3", "batch [1, 2]", "batch [3]");
		assertThat(this.checkpointed).containsExactly("2");
		assertThat(batch.batches).isEqualTo(2);
	}

	@Test
	void aLeaseLostBeforeTheProcessorWasInitializedIsIgnored() {
		// KCL does this at a stop for a child shard still waiting for its parent.
		ShardProcessor waiting = notInitialized(4, trigger(new RecordTrigger(this.calls), RETRY_AT_ONCE));

		assertThatNoException().isThrownBy(() -> waiting.leaseLost(LeaseLostInput.builder().build()));
		assertThat(this.shards).isEmpty();
	}

	@Test
	void aLostLeaseDropsThePendingBatches() {
		this.processor = processor(1, batchTrigger("batch", new BatchTrigger(this.calls, 0), 100, Duration.ofSeconds(10)));
		processRecords(read(1, 3));

		this.processor.leaseLost(LeaseLostInput.builder().build());
		this.clock.advance(Duration.ofSeconds(10));

		assertThat(this.calls).isEmpty();
		assertThat(this.checkpointed).isEmpty();
	}

	@Test
	void aShardEndDeliversThePendingBatchesBeforeCheckpointingTheEnd() {
		this.processor = processor(1, batchTrigger("batch", new BatchTrigger(this.calls, 0), 100, Duration.ofSeconds(10)));
		processRecords(read(1, 3));

		this.processor.shardEnded(ShardEndedInput.builder().checkpointer(checkpointer()).build());

		assertThat(this.calls).containsExactly("batch [1, 2, 3]");
		assertThat(this.checkpointed).containsExactly(SHARD_END);
	}

	@Test
	void aShardEndWithPendingBatchesOfAStoppedConsumerIsNotCheckpointed() {
		this.processor = processor(1, batchTrigger("batch", new BatchTrigger(this.calls, 0), 100, Duration.ofSeconds(10)));
		processRecords(read(1, 3));

		this.stop.stop();
		this.processor.shardEnded(ShardEndedInput.builder().checkpointer(checkpointer()).build());

		assertThat(this.calls).isEmpty();
		assertThat(this.checkpointed).isEmpty();
	}

	@Test
	void aCheckpointThatFailsUncheckedStaysInsideProcessRecordsAndTheNextReadCheckpoints() {
		this.processor = processor(1, trigger(new RecordTrigger(this.calls), RETRY_AT_ONCE));
		List<String> checkpointed = new CopyOnWriteArrayList<>();

		assertThatNoException().isThrownBy(() -> this.processor.processRecords(DynamoDBStreamsProcessRecordsInput
			.builder()
			.records(read(2))
			.checkpointer(checkpointer((sequenceNumber) -> {
				// What KCL throws when the lease table cannot be reached (AWSExceptionManager wraps SdkClientException).
				throw new RuntimeException("Unable to execute HTTP request: Connection refused");
			}))
			.build()));
		this.processor.processRecords(DynamoDBStreamsProcessRecordsInput.builder()
			.records(List.of())
			.checkpointer(checkpointer(checkpointed::add))
			.build());

		assertThat(checkpointed).containsExactly("2");
	}

	@Test
	void aReadOfAStoppedTableWaitsUntilTheTableStartsAndIsThenDeliveredAndCheckpointed() throws Exception {
		this.processor = processor(1, trigger(new RecordTrigger(this.calls), RETRY_AT_ONCE));
		this.gate.open(false);

		CompletableFuture<Void> read = CompletableFuture.runAsync(() -> processRecords(read(2)));
		Thread.sleep(500);
		assertThat(read).isNotDone();
		assertThat(this.calls).isEmpty();
		assertThat(this.checkpointed).isEmpty();
		this.gate.open(true);
		read.get(5, TimeUnit.SECONDS);

		assertThat(this.calls).containsExactly("record 1", "record 2");
		assertThat(this.checkpointed).containsExactly("2");
	}

	@Test
	void aReadHeldWhenTheConsumerStopsIsNeitherDeliveredNorCheckpointedNorLetsTheShardEndBeCheckpointed()
			throws Exception {
		this.processor = processor(1, trigger(new RecordTrigger(this.calls), RETRY_AT_ONCE));
		this.gate.open(false);

		CompletableFuture<Void> read = CompletableFuture.runAsync(() -> processRecords(read(2)));
		Thread.sleep(300);
		this.stop.stop();
		read.get(5, TimeUnit.SECONDS);
		this.processor.shutdownRequested(ShutdownRequestedInput.builder().checkpointer(checkpointer()).build());
		this.processor.shardEnded(ShardEndedInput.builder().checkpointer(checkpointer()).build());

		assertThat(this.calls).isEmpty();
		assertThat(this.checkpointed).isEmpty();
	}

	@Test
	void aPausedTriggerGetsNothingWhileTheOtherGoesOnAndTheCheckpointStaysBeforeItsFirstHeldRecord() {
		List<String> pausedCalls = new CopyOnWriteArrayList<>();
		ActiveTrigger paused = active("paused", new RecordTrigger(pausedCalls), recordMethod(), RETRY_AT_ONCE);
		this.processor = processor(1, paused, active("other", new RecordTrigger(this.calls), recordMethod(),
				RETRY_AT_ONCE));
		processRecords(read(1, 1));
		paused.pause().pause();

		processRecords(read(2, 3));
		processRecords(read(4, 4));

		assertThat(pausedCalls).containsExactly("record 1");
		assertThat(this.calls).containsExactly("record 1", "record 2", "record 3", "record 4");
		assertThat(this.checkpointed).containsExactly("1");
		assertThat(paused.pause().heldRecords()).isEqualTo(3);
	}

	@Test
	void afterResumeTheHeldRecordsComeFirstInStreamOrderAndTheCheckpointPassesThem() {
		List<String> pausedCalls = new CopyOnWriteArrayList<>();
		ActiveTrigger paused = active("paused", new RecordTrigger(pausedCalls), recordMethod(), RETRY_AT_ONCE);
		this.processor = processor(1, paused, active("other", new RecordTrigger(this.calls), recordMethod(),
				RETRY_AT_ONCE));
		paused.pause().pause();
		processRecords(read(1, 3));
		paused.pause().resume();

		processRecords(read(4, 5));

		assertThat(pausedCalls).containsExactly("record 1", "record 2", "record 3", "record 4", "record 5");
		assertThat(this.checkpointed).containsExactly("5");
		assertThat(paused.pause().heldRecords()).isZero();
		assertThat(paused.pause().status()).isNull();
	}

	@Test
	void onLanesAPausedTriggersRecordsAreHeldAndDeliveredInStreamOrderAfterResume() {
		List<String> pausedCalls = new CopyOnWriteArrayList<>();
		ActiveTrigger paused = active("paused", new RecordTrigger(pausedCalls), recordMethod(), RETRY_AT_ONCE);
		this.processor = processor(4, paused, active("other", new RecordTrigger(this.calls), recordMethod(),
				RETRY_AT_ONCE));
		paused.pause().pause();
		processRecords(read(1, 8));
		List<String> whilePaused = List.copyOf(pausedCalls);
		paused.pause().resume();

		processRecords(List.of());

		assertThat(whilePaused).isEmpty();
		assertThat(this.calls).hasSize(8);
		assertThat(pausedCalls).containsExactly("record 1", "record 2", "record 3", "record 4", "record 5",
				"record 6", "record 7", "record 8");
		assertThat(this.checkpointed).containsExactly("8");
	}

	@Test
	void aPausedBatchTriggersRecordsStayPendingAndHoldTheCheckpointUntilItIsResumed() {
		List<String> batchCalls = new CopyOnWriteArrayList<>();
		ActiveTrigger batch = batchTrigger("batch", new BatchTrigger(batchCalls, 0), 100, Duration.ZERO);
		this.processor = processor(1, active("other", new RecordTrigger(this.calls), recordMethod(), RETRY_AT_ONCE),
				batch);
		batch.pause().pause();
		processRecords(read(1, 2));
		processRecords(read(3, 3));
		List<String> checkpointsWhilePaused = List.copyOf(this.checkpointed);
		long heldWhilePaused = batch.pause().heldRecords();
		batch.pause().resume();

		processRecords(List.of());

		assertThat(this.calls).containsExactly("record 1", "record 2", "record 3");
		assertThat(checkpointsWhilePaused).isEmpty();
		assertThat(heldWhilePaused).isEqualTo(3);
		assertThat(batchCalls).containsExactly("batch [1, 2, 3]");
		assertThat(this.checkpointed).containsExactly("3");
	}

	@Test
	void aShardWhoseHeldSpanIsFullWaitsForEveryTriggerUntilThePausedOneIsResumed() throws Exception {
		List<String> pausedCalls = new CopyOnWriteArrayList<>();
		ActiveTrigger paused = active("paused", new RecordTrigger(pausedCalls), recordMethod(), RETRY_AT_ONCE, 3);
		this.processor = processor(1, paused, active("other", new RecordTrigger(this.calls), recordMethod(),
				RETRY_AT_ONCE));
		paused.pause().pause();
		processRecords(read(1, 3));

		CompletableFuture<Void> next = CompletableFuture.runAsync(() -> processRecords(read(4, 4)));
		Thread.sleep(300);
		boolean waited = !next.isDone();
		List<String> otherWhileWaiting = List.copyOf(this.calls);
		int waitingShards = paused.pause().waitingShards();
		paused.pause().resume();
		next.get(2, TimeUnit.SECONDS);

		assertThat(waited).isTrue();
		assertThat(otherWhileWaiting).containsExactly("record 1", "record 2", "record 3");
		assertThat(waitingShards).isEqualTo(1);
		assertThat(pausedCalls).containsExactly("record 1", "record 2", "record 3", "record 4");
		assertThat(this.calls).containsExactly("record 1", "record 2", "record 3", "record 4");
		assertThat(paused.pause().waitingShards()).isZero();
		assertThat(this.checkpointed).containsExactly("4");
	}

	@Test
	void aStopEndsTheWaitOfAShardWhoseHeldSpanIsFullWithoutCheckpointingPastTheHeldRecords() throws Exception {
		ActiveTrigger paused = active("paused", new RecordTrigger(new CopyOnWriteArrayList<>()), recordMethod(),
				RETRY_AT_ONCE, 2);
		this.processor = processor(1, paused, active("other", new RecordTrigger(this.calls), recordMethod(),
				RETRY_AT_ONCE));
		paused.pause().pause();
		processRecords(read(1, 2));
		CompletableFuture<Void> next = CompletableFuture.runAsync(() -> processRecords(read(3, 3)));
		Thread.sleep(200);

		this.stop.stop();

		next.get(2, TimeUnit.SECONDS);
		assertThat(this.calls).containsExactly("record 1", "record 2");
		assertThat(this.checkpointed).isEmpty();
	}

	@Test
	void theEndOfAShardWaitsForAPausedTriggerHoldingItsRecordsAndIsCheckpointedAfterItsResume() throws Exception {
		List<String> pausedCalls = new CopyOnWriteArrayList<>();
		ActiveTrigger paused = active("paused", new RecordTrigger(pausedCalls), recordMethod(), RETRY_AT_ONCE);
		this.processor = processor(1, paused, active("other", new RecordTrigger(this.calls), recordMethod(),
				RETRY_AT_ONCE));
		paused.pause().pause();
		processRecords(read(1, 2));

		CompletableFuture<Void> ended = CompletableFuture.runAsync(
				() -> this.processor.shardEnded(ShardEndedInput.builder().checkpointer(checkpointer()).build()));
		Thread.sleep(300);
		boolean waited = !ended.isDone();
		List<String> checkpointsWhileWaiting = List.copyOf(this.checkpointed);
		paused.pause().resume();
		ended.get(2, TimeUnit.SECONDS);

		assertThat(waited).isTrue();
		assertThat(checkpointsWhileWaiting).isEmpty();
		assertThat(pausedCalls).containsExactly("record 1", "record 2");
		assertThat(this.checkpointed).containsExactly(SHARD_END);
	}

	@Test
	void aLostLeaseDropsWhatTheShardHeldForAPausedTrigger() {
		ActiveTrigger paused = active("paused", new RecordTrigger(new CopyOnWriteArrayList<>()), recordMethod(),
				RETRY_AT_ONCE);
		this.processor = processor(1, paused, active("other", new RecordTrigger(this.calls), recordMethod(),
				RETRY_AT_ONCE));
		paused.pause().pause();
		processRecords(read(1, 2));
		long held = paused.pause().heldRecords();

		this.processor.leaseLost(LeaseLostInput.builder().build());

		assertThat(held).isEqualTo(2);
		assertThat(paused.pause().heldRecords()).isZero();
		assertThat(this.checkpointed).isEmpty();
	}

	private static Method recordMethod() {
		return ReflectionUtils.findMethod(RecordTrigger.class, "onChange", Record.class);
	}

	private void processRecords(List<DynamoDBStreamsClientRecord> records) {
		this.processor.processRecords(
				DynamoDBStreamsProcessRecordsInput.builder().records(records).checkpointer(checkpointer()).build());
	}

	/**
	 * A checkpointer that records each checkpoint, {@link #SHARD_END} for the end of the shard.
	 */
	private RecordProcessorCheckpointer checkpointer() {
		return checkpointer(this.checkpointed::add);
	}

	/**
	 * A checkpointer whose {@code checkpoint(String)} does what it is given, and {@code checkpoint()} (the end
	 * of the shard) with {@link #SHARD_END}; KCL's interface has many more methods, none of which the
	 * processor may call here.
	 */
	private static RecordProcessorCheckpointer checkpointer(Consumer<String> checkpoint) {
		return (RecordProcessorCheckpointer) Proxy.newProxyInstance(ShardProcessorTests.class.getClassLoader(),
				new Class<?>[] { RecordProcessorCheckpointer.class }, (proxy, method, args) -> {
					if (method.getName().equals("checkpoint") && args != null && args.length == 1
							&& args[0] instanceof String sequenceNumber) {
						checkpoint.accept(sequenceNumber);
						return null;
					}
					if (method.getName().equals("checkpoint") && args == null) {
						checkpoint.accept(SHARD_END);
						return null;
					}
					throw new UnsupportedOperationException(method.toString());
				});
	}

	private ShardProcessor processor(int concurrency, ActiveTrigger... triggers) {
		ShardProcessor processor = notInitialized(concurrency, triggers);
		processor.initialize(InitializationInput.builder()
			.shardId("shard-1")
			.extendedSequenceNumber(ExtendedSequenceNumber.TRIM_HORIZON)
			.build());
		return processor;
	}

	private ShardProcessor notInitialized(int concurrency, ActiveTrigger... triggers) {
		this.dispatcher = new RecordPipeline("Reviews", List.of(triggers), (deadLetter) -> true, this.stop,
				Clock.systemUTC(), ObservationRegistry.NOOP);
		return new ShardProcessor("Reviews", List.of(triggers).stream().map(ActiveTrigger::id).toList(),
				this.dispatcher, this.stop, TriggerMetrics.NONE, this.shards, this.clock, concurrency, "id",
				new LastShardEnd(), this.gate);
	}

	private static ActiveTrigger trigger(RecordTrigger handler, ErrorPolicy policy) {
		Method method = ReflectionUtils.findMethod(RecordTrigger.class, "onChange", Record.class);
		return active("records", handler, method, policy);
	}

	private static ActiveTrigger trigger(BatchTrigger handler, ErrorPolicy policy) {
		Method method = ReflectionUtils.findMethod(BatchTrigger.class, "onChanges", List.class);
		return active("batch", handler, method, policy);
	}

	private static ActiveTrigger batchTrigger(String id, BatchTrigger handler, int size, Duration window) {
		return batchTrigger(id, handler, (record) -> true, size, window);
	}

	private static ActiveTrigger batchTrigger(String id, BatchTrigger handler, Predicate<Record> filter, int size,
			Duration window) {
		Method method = ReflectionUtils.findMethod(BatchTrigger.class, "onChanges", List.class);
		Set<EventType> events = EnumSet.allOf(EventType.class);
		BatchSettings batching = new BatchSettings(size, window);
		TriggerEndpoint endpoint = new TriggerEndpoint(id, "Reviews", ViewType.NEW_AND_OLD_IMAGES, events, filter,
				batching, HandlerInvoker.prepare(handler, method, ViewType.NEW_AND_OLD_IMAGES, events));
		return new ActiveTrigger(endpoint, RETRY_AT_ONCE, TriggerMetrics.NONE.trigger(id, "Reviews"), batching,
				new TriggerPause(TriggerPause.DEFAULT_MAX_HELD_RECORDS), null, null);
	}

	private static ActiveTrigger active(String id, Object handler, Method method, ErrorPolicy policy) {
		return active(id, handler, method, policy, TriggerPause.DEFAULT_MAX_HELD_RECORDS);
	}

	private static ActiveTrigger active(String id, Object handler, Method method, ErrorPolicy policy,
			int maxHeldRecords) {
		Set<EventType> events = EnumSet.allOf(EventType.class);
		TriggerEndpoint endpoint = new TriggerEndpoint(id, "Reviews", ViewType.NEW_AND_OLD_IMAGES, events,
				HandlerInvoker.prepare(handler, method, ViewType.NEW_AND_OLD_IMAGES, events));
		return new ActiveTrigger(endpoint, policy, TriggerMetrics.NONE.trigger(id, "Reviews"), endpoint.batching(),
				new TriggerPause(maxHeldRecords), null, null);
	}

	/**
	 * A read of records 1..count, each of its own item, so that lanes spread them.
	 */
	private static List<DynamoDBStreamsClientRecord> read(int count) {
		return read(1, count);
	}

	/**
	 * A read of records first..last, each of its own item.
	 */
	private static List<DynamoDBStreamsClientRecord> read(int first, int last) {
		return IntStream.rangeClosed(first, last).mapToObj((i) -> {
			Map<String, AttributeValue> keys = Map.of("id", AttributeValue.fromS("r" + i));
			return DynamoDBStreamsClientRecord.fromRecord(Record.builder()
				.eventID("event-" + i)
				.eventName(OperationType.INSERT)
				.dynamodb(StreamRecord.builder()
					.keys(keys)
					.newImage(Map.of("id", AttributeValue.fromS("r" + i), "rating", AttributeValue.fromN("5")))
					.sequenceNumber(Integer.toString(i))
					.build())
				.build());
		}).toList();
	}

	static final class RecordTrigger {

		private final List<String> calls;

		private final String failOn;

		final CountDownLatch failed = new CountDownLatch(1);

		RecordTrigger(List<String> calls) {
			this(calls, null);
		}

		RecordTrigger(List<String> calls, String failOn) {
			this.calls = calls;
			this.failOn = failOn;
		}

		void onChange(Record record) throws InterruptedException {
			String sequenceNumber = record.dynamodb().sequenceNumber();
			if (!this.calls.contains("record " + sequenceNumber)) {
				this.calls.add("record " + sequenceNumber);
			}
			if (sequenceNumber.equals(this.failOn)) {
				this.failed.countDown();
				throw new IllegalStateException("failure on " + sequenceNumber);
			}
			Thread.sleep(5);
		}

	}

	static final class BatchTrigger {

		private final List<String> calls;

		private final int failures;

		private int batches;

		final CountDownLatch firstCall = new CountDownLatch(1);

		volatile boolean failing;

		BatchTrigger(List<String> calls, int failures) {
			this.calls = calls;
			this.failures = failures;
		}

		void onChanges(List<ItemChange<Review>> changes) {
			this.calls.add("batch " + changes.stream().map(ItemChange::sequenceNumber).toList());
			this.firstCall.countDown();
			if (++this.batches <= this.failures || this.failing) {
				throw new IllegalStateException("failure " + this.batches);
			}
		}

	}

}
