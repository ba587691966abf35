package io.dynamotrigger.listener;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import com.amazonaws.services.dynamodbv2.streamsadapter.model.DynamoDBStreamsProcessRecordsInput;
import io.dynamotrigger.ErrorPolicies;
import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.Review;
import io.dynamotrigger.SettableClock;
import io.dynamotrigger.ViewType;
import io.dynamotrigger.config.BatchSettings;
import io.dynamotrigger.config.TriggerEndpoint;
import io.dynamotrigger.lease.LastShardEnd;
import io.dynamotrigger.metrics.TriggerMetrics;
import io.dynamotrigger.pause.TriggerPause;
import io.dynamotrigger.status.ShardStall;
import io.dynamotrigger.status.ShardStall.Kind;
import io.dynamotrigger.status.ShardStatus;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.ReflectionUtils;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a shard counts as stalled: a record in progress, no read, or the checkpoint behind received records,
 * each for longer than the stall timeout; and when it does not.
 */
class ShardStallTests {

	private static final Duration STALL_TIMEOUT = Duration.ofMinutes(5);

	private static final Set<EventType> EVENTS = EnumSet.allOf(EventType.class);

	private final Map<String, ShardProgress> shards = new ConcurrentHashMap<>();

	private final SettableClock clock = new SettableClock();

	private final StopSignal stop = new StopSignal();

	private boolean checkpointFails;

	private StallRules rules;

	private ShardProcessor processor;

	@AfterEach
	void release() {
		this.stop.stop();
		if (this.processor != null) {
			this.processor.leaseLost(LeaseLostInput.builder().build());
		}
	}

	@Test
	void aShardWhoseReadsStopIsStalledOnceNoReadCameForLongerThanTheStallTimeout() {
		this.processor = processor(recordTrigger());
		processRecords(read(1, 2));
		Instant lastRead = this.clock.instant();

		this.clock.advance(STALL_TIMEOUT);
		assertThat(stalls()).isEmpty();
		this.clock.advance(Duration.ofMillis(1));

		assertThat(stalls()).containsExactly(new ShardStall(Kind.READS, lastRead));
	}

	@Test
	void aShardThatGetsNoFirstReadIsStalledFromWhenItsLeaseWasTaken() {
		Instant leaseTaken = this.clock.instant();
		this.processor = processor(recordTrigger());

		this.clock.advance(STALL_TIMEOUT.plusMillis(1));

		assertThat(stalls()).containsExactly(new ShardStall(Kind.READS, leaseTaken));
	}

	@Test
	void anIdleShardWhoseEmptyReadsKeepComingIsNotStalled() {
		this.processor = processor(recordTrigger());

		for (int i = 0; i < 10; i++) {
			processRecords(List.of());
			this.clock.advance(Duration.ofMinutes(1));
		}

		assertThat(stalls()).isEmpty();
	}

	@Test
	void aShardWhoseReadsStoppedIsNoLongerStalledOnceAReadComes() {
		this.processor = processor(recordTrigger());
		this.clock.advance(STALL_TIMEOUT.plusMinutes(1));
		assertThat(stalls()).extracting(ShardStall::kind).containsExactly(Kind.READS);

		processRecords(List.of());

		assertThat(stalls()).isEmpty();
	}

	@Test
	void aShardInTheMiddleOfAReadAwaitsNoRead() {
		ShardProgress progress = new ShardProgress("shard-1", "TRIM_HORIZON", this.clock.millis());
		progress.readStarted();

		this.clock.advance(STALL_TIMEOUT.multipliedBy(3));

		assertThat(progress.stalls(rules(), this.clock.millis())).isEmpty();
	}

	@Test
	void aCheckpointThatStaysWhileRecordsKeepArrivingIsStalledOnceTheStallTimeoutHasPassed() {
		this.processor = processor(recordTrigger());
		this.checkpointFails = true;
		processRecords(read(1, 1));
		Instant firstReadNotCheckpointed = this.clock.instant();

		for (int i = 2; i <= 6; i++) {
			this.clock.advance(Duration.ofMinutes(1));
			processRecords(read(i, i));
		}
		this.clock.advance(Duration.ofMillis(1));

		assertThat(stalls()).containsExactly(new ShardStall(Kind.CHECKPOINT, firstReadNotCheckpointed));
	}

	@Test
	void aCheckpointThatMovesOnAfterFailingIsNoLongerStalled() {
		this.processor = processor(recordTrigger());
		this.checkpointFails = true;
		processRecords(read(1, 1));
		this.clock.advance(STALL_TIMEOUT.plusMinutes(1));
		processRecords(read(2, 2));
		assertThat(stalls()).extracting(ShardStall::kind).containsExactly(Kind.CHECKPOINT);

		this.checkpointFails = false;
		processRecords(List.of());

		assertThat(stalls()).isEmpty();
		assertThat(status().lastCheckpoint()).isEqualTo("2");
	}

	@Test
	void aCheckpointThatStaysWithoutRecordsAfterItIsNotStalled() {
		this.processor = processor(recordTrigger());
		processRecords(read(1, 2));

		for (int i = 0; i < 10; i++) {
			this.clock.advance(Duration.ofMinutes(1));
			processRecords(List.of());
		}

		assertThat(status().lastCheckpoint()).isEqualTo("2");
		assertThat(stalls()).isEmpty();
	}

	@Test
	void aBatchWaitingForItsWindowLongerThanTheStallTimeoutDoesNotStallTheCheckpoint() {
		this.processor = processor(Duration.ofMinutes(1), batchTrigger(Duration.ofMinutes(5)));
		processRecords(read(1, 2));

		for (int i = 0; i < 4; i++) {
			this.clock.advance(Duration.ofMinutes(1));
			processRecords(List.of());
		}
		this.clock.advance(Duration.ofSeconds(59));

		assertThat(status().lastCheckpoint()).isEqualTo("TRIM_HORIZON");
		assertThat(stalls()).isEmpty();
	}

	@Test
	void aCheckpointHeldForLongerThanTheLongestBatchWindowAndTheStallTimeoutIsStalled() {
		this.processor = processor(Duration.ofMinutes(1), batchTrigger(Duration.ofMinutes(5)));
		processRecords(read(1, 2));
		Instant firstReadNotCheckpointed = this.clock.instant();
		this.checkpointFails = true;

		for (int i = 0; i < 6; i++) {
			this.clock.advance(Duration.ofMinutes(1));
			processRecords(List.of());
		}
		this.clock.advance(Duration.ofMillis(1));

		assertThat(stalls()).containsExactly(new ShardStall(Kind.CHECKPOINT, firstReadNotCheckpointed));
	}

	@Test
	void aShardEndThatCannotBeCheckpointedStallsTheCheckpointNotTheReads() {
		this.processor = processor(recordTrigger());
		processRecords(read(1, 1));
		this.checkpointFails = true;
		this.processor.shardEnded(ShardEndedInput.builder().checkpointer(checkpointer()).build());
		Instant ended = this.clock.instant();

		this.clock.advance(STALL_TIMEOUT.plusMillis(1));

		assertThat(stalls()).containsExactly(new ShardStall(Kind.CHECKPOINT, ended));
	}

	@Test
	void aRecordInProgressForLongerThanTheStallTimeoutIsStalled() {
		long since = this.clock.millis();

		List<ShardStall> stalls = rules().stalls(since, ShardProgress.NONE, ShardProgress.NONE,
				since + STALL_TIMEOUT.toMillis() + 1);

		assertThat(stalls).containsExactly(new ShardStall(Kind.RECORD, Instant.ofEpochMilli(since)));
	}

	@Test
	void noShardIsStalledWithTheRulesOfAConsumerThatDoesNotRun() {
		List<ShardStall> stalls = StallRules.NEVER.stalls(0, 0, 0, STALL_TIMEOUT.multipliedBy(100).toMillis());

		assertThat(stalls).isEmpty();
	}

	@Test
	void whileATriggerIsPausedItsHeldCheckpointIsNoStallButARecordInProgressAndAReadAwaitedAre() {
		long now = STALL_TIMEOUT.multipliedBy(100).toMillis();

		List<ShardStall> stalls = rules().whilePaused().stalls(0, 0, 0, now);

		assertThat(stalls).extracting(ShardStall::kind).containsExactly(Kind.RECORD, Kind.READS);
	}

	private StallRules rules() {
		return StallRules.of(STALL_TIMEOUT, List.of());
	}

	private List<ShardStall> stalls() {
		return status().stalls();
	}

	private ShardStatus status() {
		return this.shards.get("shard-1").status(100L, this.rules, this.clock.millis());
	}

	private void processRecords(List<DynamoDBStreamsClientRecord> records) {
		this.processor.processRecords(
				DynamoDBStreamsProcessRecordsInput.builder().records(records).checkpointer(checkpointer()).build());
	}

	/**
	 * A checkpointer that fails, as KCL's does when the lease table cannot be written, while
	 * {@link #checkpointFails}; KCL's interface has many more methods, none of which the processor may call here.
	 */
	private RecordProcessorCheckpointer checkpointer() {
		return (RecordProcessorCheckpointer) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { RecordProcessorCheckpointer.class }, (proxy, method, args) -> {
					if (!method.getName().equals("checkpoint")) {
						throw new UnsupportedOperationException(method.toString());
					}
					if (this.checkpointFails) {
						throw new RuntimeException("Unable to execute HTTP request: Connection refused");
					}
					return null;
				});
	}

	private ShardProcessor processor(ActiveTrigger trigger) {
		return processor(STALL_TIMEOUT, trigger);
	}

	private ShardProcessor processor(Duration stallTimeout, ActiveTrigger trigger) {
		this.rules = StallRules.of(stallTimeout, List.of(trigger));
		RecordPipeline pipeline = new RecordPipeline("Reviews", List.of(trigger), (deadLetter) -> true, this.stop,
				Clock.systemUTC(), ObservationRegistry.NOOP);
		ShardProcessor processor = new ShardProcessor("Reviews", List.of(trigger.id()), pipeline, this.stop,
				TriggerMetrics.NONE, this.shards, this.clock, 1, "id", new LastShardEnd(), new ReadGate());
		processor.initialize(InitializationInput.builder()
			.shardId("shard-1")
			.extendedSequenceNumber(ExtendedSequenceNumber.TRIM_HORIZON)
			.build());
		return processor;
	}

	private static ActiveTrigger recordTrigger() {
		Method method = ReflectionUtils.findMethod(Handlers.class, "onChange", Record.class);
		TriggerEndpoint endpoint = new TriggerEndpoint("records", "Reviews", ViewType.NEW_AND_OLD_IMAGES, EVENTS,
				HandlerInvoker.prepare(new Handlers(), method, ViewType.NEW_AND_OLD_IMAGES, EVENTS));
		return new ActiveTrigger(endpoint, ErrorPolicies.standard(), TriggerMetrics.NONE.trigger("records", "Reviews"));
	}

	private static ActiveTrigger batchTrigger(Duration window) {
		Method method = ReflectionUtils.findMethod(Handlers.class, "onChanges", List.class);
		BatchSettings batching = new BatchSettings(100, window);
		TriggerEndpoint endpoint = new TriggerEndpoint("batch", "Reviews", ViewType.NEW_AND_OLD_IMAGES, EVENTS,
				(record) -> true, batching,
				HandlerInvoker.prepare(new Handlers(), method, ViewType.NEW_AND_OLD_IMAGES, EVENTS));
		return new ActiveTrigger(endpoint, ErrorPolicies.standard(), TriggerMetrics.NONE.trigger("batch", "Reviews"),
				batching, new TriggerPause(TriggerPause.DEFAULT_MAX_HELD_RECORDS), null, null);
	}

	/**
	 * A read of records first..last.
	 */
	private static List<DynamoDBStreamsClientRecord> read(int first, int last) {
		return IntStream.rangeClosed(first, last)
			.mapToObj((i) -> DynamoDBStreamsClientRecord.fromRecord(Record.builder()
				.eventID("event-" + i)
				.eventName(OperationType.INSERT)
				.dynamodb(StreamRecord.builder()
					.keys(Map.of("id", AttributeValue.fromS("r" + i)))
					.newImage(Map.of("id", AttributeValue.fromS("r" + i), "rating", AttributeValue.fromN("5")))
					.sequenceNumber(Integer.toString(i))
					.build())
				.build()))
			.toList();
	}

	static final class Handlers {

		void onChange(Record record) {
		}

		void onChanges(List<ItemChange<Review>> changes) {
		}

	}

}
