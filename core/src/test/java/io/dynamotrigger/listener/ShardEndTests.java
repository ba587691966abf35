package io.dynamotrigger.listener;

import java.lang.reflect.Method;
import java.time.Clock;
import java.util.ArrayList;
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

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import com.amazonaws.services.dynamodbv2.streamsadapter.model.DynamoDBStreamsProcessRecordsInput;
import io.dynamotrigger.EventType;
import io.dynamotrigger.TriggerContext;
import io.dynamotrigger.ViewType;
import io.dynamotrigger.config.TriggerEndpoint;
import io.dynamotrigger.error.ErrorPolicy;
import io.dynamotrigger.lease.LastShardEnd;
import io.dynamotrigger.metrics.TriggerMetrics;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.backoff.FixedBackOff;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.exceptions.ThrottlingException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

import static io.dynamotrigger.listener.RecordingCheckpointer.SHARD_END;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * What a shard's processor checkpoints when its shard ends, driven through KCL's processor interface the way
 * KCL drives it: {@code initialize}, {@code processRecords} per read, then {@code shardEnded} (again while
 * the end is not checkpointed) or {@code leaseLost}. The tests play KCL's rule that a child shard starts only
 * once its parent is checkpointed at {@code SHARD_END}. KCL never calls {@code shardEnded} after
 * {@code leaseLost} (a lost lease outranks the shard end), so only the other order is covered.
 */
class ShardEndTests {

	private static final ErrorPolicy RETRY_AT_ONCE = new ErrorPolicy(
			new FixedBackOff(1, FixedBackOff.UNLIMITED_ATTEMPTS), Set.of(), null);

	private static final ErrorPolicy RETRY_LATER = new ErrorPolicy(
			new FixedBackOff(10_000, FixedBackOff.UNLIMITED_ATTEMPTS), Set.of(), null);

	/** The handler's calls and the checkpoints, in the order they happened. */
	private final List<String> events = new CopyOnWriteArrayList<>();

	private final Map<String, ShardProgress> shards = new ConcurrentHashMap<>();

	private final LastShardEnd lastShardEnd = new LastShardEnd();

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	private final Logger processorLog = (Logger) LoggerFactory.getLogger(ShardProcessor.class);

	private final List<ShardProcessor> processors = new ArrayList<>();

	private StopSignal stop = new StopSignal();

	private RecordPipeline dispatcher;

	@BeforeEach
	void captureLogs() {
		this.logs.start();
		this.processorLog.addAppender(this.logs);
	}

	@AfterEach
	void stop() {
		this.processorLog.detachAppender(this.logs);
		this.stop.stop();
		this.processors.forEach((processor) -> processor.leaseLost(LeaseLostInput.builder().build()));
	}

	@Test
	void theParentIsCheckpointedAtItsEndAfterEveryRecordAndItsChildRecordsOfAKeyComeAfterTheParentRecords() {
		this.dispatcher = dispatcher(new ChangeLog(this.events, null), RETRY_AT_ONCE);
		ShardProcessor parent = processor("parent", 4, ExtendedSequenceNumber.TRIM_HORIZON);
		RecordingCheckpointer parentEnd = RecordingCheckpointer.atShardEnd(checkpointed("parent"));

		read(parent, "parent", record("a", "1"), record("b", "2"), record("a", "3"));
		read(parent, "parent", record("b", "4"), record("a", "5"));
		parent.shardEnded(ShardEndedInput.builder().checkpointer(parentEnd).build());
		if (this.events.contains("checkpoint parent " + SHARD_END)) {
			ShardProcessor child = processor("child", 4, ExtendedSequenceNumber.TRIM_HORIZON);
			read(child, "child", record("a", "6"), record("b", "7"));
		}

		int parentEnded = this.events.indexOf("checkpoint parent " + SHARD_END);
		assertThat(parentEnded).isPositive();
		assertThat(this.events.subList(0, parentEnded)).contains("parent a 1", "parent b 2", "parent a 3",
				"parent b 4", "parent a 5");
		assertThat(handled("a")).containsExactly("parent a 1", "parent a 3", "parent a 5", "child a 6");
		assertThat(handled("b")).containsExactly("parent b 2", "parent b 4", "child b 7");
		assertThat(this.shards).containsOnlyKeys("child");
		assertThat(this.lastShardEnd.get()).as("forgotten once the instance took the child").isNull();
	}

	@Test
	void theEndIsCheckpointedWhenEveryRecordReceivedIsDone() {
		this.dispatcher = dispatcher(new ChangeLog(this.events, null), RETRY_AT_ONCE);
		ShardProcessor processor = processor("shard-1", 1, ExtendedSequenceNumber.TRIM_HORIZON);

		read(processor, "shard-1", record("a", "1"), record("b", "2"));
		processor.shardEnded(ShardEndedInput.builder()
			.checkpointer(RecordingCheckpointer.atShardEnd(checkpointed("shard-1")))
			.build());

		assertThat(this.events).containsExactly("shard-1 a 1", "shard-1 b 2", "checkpoint shard-1 2",
				"checkpoint shard-1 " + SHARD_END);
		assertThat(this.shards).isEmpty();
		assertThat(this.lastShardEnd.get().shardId()).isEqualTo("shard-1");
	}

	@Test
	void theEndIsCheckpointedWhenTheProcessorReceivedNoRecordAfterItsStartingCheckpoint() {
		this.dispatcher = dispatcher(new ChangeLog(this.events, null), RETRY_AT_ONCE);
		ShardProcessor processor = processor("shard-1", 1, new ExtendedSequenceNumber("2"));

		read(processor, "shard-1");
		processor.shardEnded(ShardEndedInput.builder()
			.checkpointer(RecordingCheckpointer.atShardEnd(checkpointed("shard-1")))
			.build());

		assertThat(this.events).containsExactly("checkpoint shard-1 " + SHARD_END);
	}

	@Test
	void theEndIsNotCheckpointedWhileARecordIsNotDoneAndTheNextHolderOfTheLeaseReadsItAgain() throws Exception {
		ChangeLog failingOnTwo = new ChangeLog(this.events, "2");
		this.dispatcher = dispatcher(failingOnTwo, RETRY_LATER);
		ShardProcessor processor = processor("shard-1", 1, ExtendedSequenceNumber.TRIM_HORIZON);
		CompletableFuture<Void> reading = CompletableFuture
			.runAsync(() -> read(processor, "shard-1", record("a", "1"), record("b", "2"), record("c", "3")));
		assertThat(failingOnTwo.failed.await(5, TimeUnit.SECONDS)).isTrue();
		this.stop.stop();
		reading.get(5, TimeUnit.SECONDS);

		processor.shardEnded(ShardEndedInput.builder()
			.checkpointer(RecordingCheckpointer.atShardEnd(checkpointed("shard-1")))
			.build());

		assertThat(this.events).containsExactly("shard-1 a 1", "shard-1 b 2", "checkpoint shard-1 1");
		assertThat(this.shards).containsOnlyKeys("shard-1");
		assertThat(this.lastShardEnd.get()).isNull();
		assertThat(warnings()).anySatisfy((message) -> assertThat(message)
			.contains("shard shard-1 ended, but the records after 1 up to 3 are not done")
			.contains("not checkpointing its end"));

		processor.leaseLost(LeaseLostInput.builder().build());
		assertThat(this.shards).isEmpty();

		this.events.clear();
		this.dispatcher = dispatcher(new ChangeLog(this.events, null), RETRY_AT_ONCE);
		ShardProcessor nextHolder = processor("shard-1", 1, new ExtendedSequenceNumber("1"));
		read(nextHolder, "shard-1", record("b", "2"), record("c", "3"));
		nextHolder.shardEnded(ShardEndedInput.builder()
			.checkpointer(RecordingCheckpointer.atShardEnd(checkpointed("shard-1")))
			.build());
		assertThat(this.events).containsExactly("shard-1 b 2", "shard-1 c 3", "checkpoint shard-1 3",
				"checkpoint shard-1 " + SHARD_END);
	}

	@Test
	void theEndIsNotCheckpointedWhenTheConsumerStoppedBeforeALaterRead() {
		this.dispatcher = dispatcher(new ChangeLog(this.events, null), RETRY_AT_ONCE);
		ShardProcessor processor = processor("shard-1", 4, ExtendedSequenceNumber.TRIM_HORIZON);
		read(processor, "shard-1", record("a", "1"), record("b", "2"));
		this.stop.stop();
		read(processor, "shard-1", record("a", "3"));

		processor.shardEnded(ShardEndedInput.builder()
			.checkpointer(RecordingCheckpointer.atShardEnd(checkpointed("shard-1")))
			.build());

		assertThat(this.events).doesNotContain("checkpoint shard-1 " + SHARD_END, "shard-1 a 3");
		assertThat(this.events).endsWith("checkpoint shard-1 2");
	}

	@Test
	void aFailedEndCheckpointIsLoggedWithoutAnExceptionAndTheEndIsCheckpointedWhenKclCallsAgain() {
		this.dispatcher = dispatcher(new ChangeLog(this.events, null), RETRY_AT_ONCE);
		ShardProcessor processor = processor("shard-1", 1, ExtendedSequenceNumber.TRIM_HORIZON);
		read(processor, "shard-1", record("a", "1"));
		RecordingCheckpointer end = RecordingCheckpointer.atShardEnd(checkpointed("shard-1"));
		end.failNext(new ThrottlingException("lease table throttled"));
		end.failNext(new RuntimeException("Unable to execute HTTP request: Connection refused"));
		ShardEndedInput input = ShardEndedInput.builder().checkpointer(end).build();

		assertThatNoException().isThrownBy(() -> processor.shardEnded(input));
		assertThatNoException().isThrownBy(() -> processor.shardEnded(input));
		assertThat(this.events).doesNotContain("checkpoint shard-1 " + SHARD_END);
		assertThat(this.shards).containsOnlyKeys("shard-1");
		assertThat(warnings()).filteredOn((message) -> message.startsWith("Could not checkpoint the end"))
			.hasSize(2);
		assertThat(this.lastShardEnd.get()).isNull();

		processor.shardEnded(input);

		assertThat(this.events).endsWith("checkpoint shard-1 " + SHARD_END);
		assertThat(this.shards).isEmpty();
		assertThat(this.lastShardEnd.get().shardId()).isEqualTo("shard-1");
	}

	@Test
	void anEndCheckpointRefusedBecauseTheLeaseMovedIsFollowedByLeaseLost() {
		this.dispatcher = dispatcher(new ChangeLog(this.events, null), RETRY_AT_ONCE);
		ShardProcessor processor = processor("shard-1", 1, ExtendedSequenceNumber.TRIM_HORIZON);
		read(processor, "shard-1", record("a", "1"));
		RecordingCheckpointer end = RecordingCheckpointer.atShardEnd(checkpointed("shard-1"));
		end.failNext(new ShutdownException("Can't update checkpoint - instance doesn't hold the lease"));

		assertThatNoException()
			.isThrownBy(() -> processor.shardEnded(ShardEndedInput.builder().checkpointer(end).build()));
		processor.leaseLost(LeaseLostInput.builder().build());

		assertThat(this.events).doesNotContain("checkpoint shard-1 " + SHARD_END);
		assertThat(this.shards).isEmpty();
	}

	private void read(ShardProcessor processor, String shardId, DynamoDBStreamsClientRecord... records) {
		processor.processRecords(DynamoDBStreamsProcessRecordsInput.builder()
			.records(List.of(records))
			.checkpointer(RecordingCheckpointer.forRecords(checkpointed(shardId)))
			.build());
	}

	private Consumer<String> checkpointed(String shardId) {
		return (position) -> this.events.add("checkpoint " + shardId + " " + position);
	}

	private List<String> handled(String key) {
		return this.events.stream().filter((event) -> event.contains(" " + key + " ")).toList();
	}

	private List<String> warnings() {
		return this.logs.list.stream()
			.filter((event) -> event.getLevel() == Level.WARN)
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

	/**
	 * Creates and initializes a shard's processor, as KCL does when it starts a shard.
	 */
	private ShardProcessor processor(String shardId, int concurrency, ExtendedSequenceNumber startingCheckpoint) {
		ShardProcessor processor = new ShardProcessor("Reviews", List.of("changes"), this.dispatcher, this.stop,
				TriggerMetrics.NONE, this.shards, Clock.systemUTC(), concurrency, "id",
				this.lastShardEnd, new ReadGate());
		processor.initialize(
				InitializationInput.builder().shardId(shardId).extendedSequenceNumber(startingCheckpoint).build());
		this.processors.add(processor);
		return processor;
	}

	private RecordPipeline dispatcher(ChangeLog handler, ErrorPolicy policy) {
		Method method = ReflectionUtils.findMethod(ChangeLog.class, "onChange", Record.class, TriggerContext.class);
		Set<EventType> events = EnumSet.allOf(EventType.class);
		TriggerEndpoint endpoint = new TriggerEndpoint("changes", "Reviews", ViewType.NEW_AND_OLD_IMAGES, events,
				HandlerInvoker.prepare(handler, method, ViewType.NEW_AND_OLD_IMAGES, events));
		ActiveTrigger trigger = new ActiveTrigger(endpoint, policy, TriggerMetrics.NONE.trigger("changes", "Reviews"));
		this.stop = new StopSignal();
		return new RecordPipeline("Reviews", List.of(trigger), (deadLetter) -> true, this.stop, Clock.systemUTC(),
				ObservationRegistry.NOOP);
	}

	/**
	 * A stream record of item {@code key}, built through the SDK model as DynamoDB Streams returns it.
	 */
	private static DynamoDBStreamsClientRecord record(String key, String sequenceNumber) {
		return DynamoDBStreamsClientRecord.fromRecord(Record.builder()
			.eventID("event-" + sequenceNumber)
			.eventName(OperationType.MODIFY)
			.dynamodb(StreamRecord.builder()
				.keys(Map.of("id", AttributeValue.fromS(key)))
				.newImage(Map.of("id", AttributeValue.fromS(key), "rating", AttributeValue.fromN(sequenceNumber)))
				.sequenceNumber(sequenceNumber)
				.build())
			.build());
	}

	/**
	 * A trigger that logs "shard key sequence-number" for each record it is called for, and fails on one.
	 */
	static final class ChangeLog {

		private final List<String> events;

		private final String failOn;

		final CountDownLatch failed = new CountDownLatch(1);

		ChangeLog(List<String> events, String failOn) {
			this.events = events;
			this.failOn = failOn;
		}

		void onChange(Record record, TriggerContext context) {
			String sequenceNumber = record.dynamodb().sequenceNumber();
			String event = context.shardId() + " " + record.dynamodb().keys().get("id").s() + " " + sequenceNumber;
			if (!this.events.contains(event)) {
				this.events.add(event);
			}
			if (sequenceNumber.equals(this.failOn)) {
				this.failed.countDown();
				throw new IllegalStateException("failure on " + sequenceNumber);
			}
		}

	}

}
