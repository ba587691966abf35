package io.dynamotrigger.listener;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.ViewType;
import io.dynamotrigger.WindowContext;
import io.dynamotrigger.config.BatchSettings;
import io.dynamotrigger.config.TriggerEndpoint;
import io.dynamotrigger.error.DeadLetterRecord;
import io.dynamotrigger.error.ErrorPolicy;
import io.dynamotrigger.mapping.ItemMappers;
import io.dynamotrigger.metrics.RecordResult;
import io.dynamotrigger.pause.TriggerPause;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbTest;
import io.dynamotrigger.window.ShardWindows;
import io.dynamotrigger.window.TumblingWindows;
import io.dynamotrigger.window.WindowFunction;
import io.dynamotrigger.window.WindowStateTable;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.backoff.FixedBackOff;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A window trigger's calls go through the table's record pipeline: a failing call is retried per the error
 * policy and, when it gives up, the call's records are dead-lettered and the window goes on with the state
 * from before; a failing final call is made again until it succeeds; the meters count each call and record.
 */
@LocalDynamoDbTest
class WindowDeliveryTests {

	private static final AtomicInteger tables = new AtomicInteger();

	private static final Instant W0 = Instant.parse("2026-01-01T00:00:00Z");

	private final List<DeadLetterRecord> deadLetters = new CopyOnWriteArrayList<>();

	private final RecordPipelineTests.RecordingMeters meters = new RecordPipelineTests.RecordingMeters();

	private final PoisonedWindow method = new PoisonedWindow();

	private ShardWindows windows;

	@BeforeEach
	void createWindows(LocalDynamoDb local) throws Exception {
		WindowStateTable states = new WindowStateTable(local.configure(DynamoDbClient.builder()).build(),
				"DeliveryWindowState" + tables.incrementAndGet(), "arn:aws:dynamodb:us-east-1:0:table/Reviews/stream/x");
		WindowFunction function = WindowFunction.prepare(this.method,
				PoisonedWindow.class.getDeclaredMethod("onWindow", List.class, Ids.class, WindowContext.class),
				"PoisonedWindow.onWindow", new TumblingWindows(Duration.ofSeconds(10)), ItemMappers.defaults());
		TriggerEndpoint endpoint = new TriggerEndpoint("ids", "Reviews", ViewType.NEW_AND_OLD_IMAGES,
				EnumSet.allOf(EventType.class), (record) -> true, BatchSettings.DEFAULTS, null, function);
		ActiveTrigger trigger = new ActiveTrigger(endpoint, new ErrorPolicy(new FixedBackOff(1, 2), Set.of(), null),
				this.meters, BatchSettings.DEFAULTS, new TriggerPause(TriggerPause.DEFAULT_MAX_HELD_RECORDS), states,
				null);
		RecordPipeline pipeline = new RecordPipeline("Reviews", List.of(trigger), (deadLetter) -> this.deadLetters
			.add(deadLetter), new StopSignal(), Clock.systemUTC(), ObservationRegistry.NOOP);
		assertThat(pipeline.windowTriggers()).containsExactly(trigger);
		assertThat(pipeline.hasRecordTriggers()).isFalse();
		assertThat(pipeline.batchTriggers()).isEmpty();
		this.windows = new ShardWindows(function, states, pipeline.windowCalls(trigger, "shard-1"), "ids", "Reviews",
				"shard-1", Clock.systemUTC());
		this.windows.open();
	}

	@Test
	void aCallThePolicyGivesUpOnHasItsRecordsDeadLetteredAndTheWindowGoesOnWithoutThem() {
		this.windows.add(read(record("1", 1)), 0);
		this.windows.add(read(record("2", 2), record("3", 3)), 1);
		this.windows.add(read(record("4", 4)), 3);
		this.windows.add(read(record("5", 12)), 4);

		assertThat(this.method.finals).containsExactly("[1, 4] attempt 1");
		assertThat(this.deadLetters).extracting((deadLetter) -> deadLetter.source().sequenceNumber())
			.containsExactly("2", "3");
		assertThat(this.deadLetters).allSatisfy((deadLetter) -> assertThat(deadLetter.failure().attempts()).isEqualTo(3));
		assertThat(this.meters.results).containsExactly(RecordResult.HANDLED, RecordResult.RETRIED, RecordResult.RETRIED,
				RecordResult.RETRIED, RecordResult.RETRIED, RecordResult.DEAD_LETTERED, RecordResult.DEAD_LETTERED,
				RecordResult.HANDLED, RecordResult.HANDLED);
		assertThat(this.windows.heldAt()).isEqualTo(Long.MAX_VALUE);
	}

	@Test
	void aFailingFinalCallIsMadeAgainUntilItSucceeds() {
		this.method.finalFailures = 4;
		this.windows.add(read(record("1", 1)), 0);
		this.windows.add(read(record("5", 12)), 1);

		assertThat(this.method.finals).containsExactly("[1] attempt 5");
		assertThat(this.meters.failedCalls).hasValue(4);
	}

	private static List<DynamoDBStreamsClientRecord> read(DynamoDBStreamsClientRecord... records) {
		return List.of(records);
	}

	private static DynamoDBStreamsClientRecord record(String sequenceNumber, int second) {
		return DynamoDBStreamsClientRecord.fromRecord(Record.builder()
			.eventID("event-" + sequenceNumber)
			.eventName(OperationType.INSERT)
			.dynamodb(StreamRecord.builder()
				.keys(Map.of("id", AttributeValue.fromS(sequenceNumber)))
				.newImage(Map.of("id", AttributeValue.fromS(sequenceNumber)))
				.sequenceNumber(sequenceNumber)
				.approximateCreationDateTime(W0.plusSeconds(second))
				.build())
			.build());
	}

	record Ids(List<String> ids) {
	}

	/**
	 * Keeps the ids of its records; fails every call with record 2, and its first {@code finalFailures} final
	 * calls.
	 */
	static final class PoisonedWindow {

		final List<String> finals = new ArrayList<>();

		volatile int finalFailures;

		Ids onWindow(List<ItemChange<Map<String, AttributeValue>>> changes, Ids state, WindowContext context) {
			if (context.finalInvokeForWindow()) {
				if (this.finalFailures-- > 0) {
					throw new IllegalStateException("final call fails");
				}
				this.finals.add(state.ids() + " attempt " + context.attempt());
				return state;
			}
			List<String> ids = new ArrayList<>((state != null) ? state.ids() : List.of());
			for (ItemChange<Map<String, AttributeValue>> change : changes) {
				String id = change.newImage().get("id").s();
				if (id.equals("2")) {
					throw new IllegalStateException("poison");
				}
				ids.add(id);
			}
			return new Ids(ids);
		}

	}

}
