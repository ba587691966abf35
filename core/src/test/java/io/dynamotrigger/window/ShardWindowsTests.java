package io.dynamotrigger.window;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.SettableClock;
import io.dynamotrigger.WindowContext;
import io.dynamotrigger.mapping.ItemMappers;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The windows of one shard's trigger, saved in a state table on the local endpoint: a new owner resumes the
 * open window and passes over the records the saved windows include; a former owner can no longer save; a
 * final call whose save was lost is made again with the same state; an idle shard closes a window only after
 * the close delay.
 */
@LocalDynamoDbTest
class ShardWindowsTests {

	private static final AtomicInteger tables = new AtomicInteger();

	/** 10-second windows; the first record's window is [00:00:00, 00:00:10). */
	private static final Instant W0 = Instant.parse("2026-01-01T00:00:00Z");

	private final SettableClock clock = new SettableClock();

	private final IdsWindow method = new IdsWindow();

	private WindowStateTable states;

	private WindowFunction function;

	@BeforeEach
	void createStateTable(LocalDynamoDb local) throws Exception {
		DynamoDbClient dynamoDb = local.configure(DynamoDbClient.builder()).build();
		this.states = new WindowStateTable(dynamoDb, "WindowState" + tables.incrementAndGet(),
				"arn:aws:dynamodb:us-east-1:000000000000:table/Reviews/stream/2026-01-01T00:00:00.000");
		this.function = WindowFunction.prepare(this.method,
				IdsWindow.class.getDeclaredMethod("onWindow", List.class, Ids.class, WindowContext.class),
				"IdsWindow.onWindow", new TumblingWindows(Duration.ofSeconds(10)), ItemMappers.defaults());
	}

	@Test
	void aNewOwnerResumesTheOpenWindowAndPassesOverTheRecordsItsSavedWindowsInclude() {
		ShardWindows first = windows(new DirectCalls());
		first.open();
		first.add(read(record("1", 1), record("2", 2), record("3", 3)), 0);

		ShardWindows second = windows(new DirectCalls());
		second.open();
		// The checkpoint was behind the saved windows: the new owner reads 1 to 3 again.
		second.add(read(record("1", 1), record("2", 2), record("3", 3), record("4", 4), record("5", 5)), 0);
		second.add(read(record("6", 11)), 5);
		second.add(read(record("7", 21)), 6);

		assertThat(this.method.finals).containsExactly("00:00:00 [1, 2, 3, 4, 5]", "00:00:10 [6]");
		assertThat(second.heldAt()).isEqualTo(Long.MAX_VALUE);
	}

	@Test
	void aFormerOwnerCannotSaveOnceANewOwnerClaimedTheWindowsAndHoldsItsCheckpoint() {
		ShardWindows former = windows(new DirectCalls());
		former.open();
		former.add(read(record("1", 1)), 0);
		ShardWindows current = windows(new DirectCalls());
		current.open();

		former.add(read(record("2", 2)), 1);
		current.add(read(record("2", 2), record("3", 3)), 1);
		current.add(read(record("4", 12)), 3);

		assertThat(former.heldAt()).isEqualTo(1);
		assertThat(this.method.finals).containsExactly("00:00:00 [1, 2, 3]");
	}

	@Test
	void aFinalCallWhoseSaveWasLostIsMadeAgainWithTheSameState() {
		DirectCalls crashing = new DirectCalls();
		ShardWindows crashed = windows(crashing);
		crashed.open();
		crashed.add(read(record("1", 1), record("2", 2)), 0);
		crashing.crashAfterFinalCall = true;
		assertThatIllegalStateException().isThrownBy(() -> crashed.add(read(record("3", 10)), 2))
			.withMessage("crash");

		ShardWindows next = windows(new DirectCalls());
		next.open();
		next.add(read(record("3", 10)), 2);
		next.add(read(record("4", 20)), 3);

		assertThat(this.method.finals).containsExactly("00:00:00 [1, 2]", "00:00:00 [1, 2]", "00:00:10 [3]");
	}

	@Test
	void anIdleShardClosesTheOpenWindowOnlyTheCloseDelayAfterItsEnd() {
		ShardWindows windows = windows(new DirectCalls());
		windows.open();
		windows.add(read(record("1", 1)), 0);

		this.clock.advance(Duration.ofSeconds(10).plus(ShardWindows.CLOSE_DELAY).minusMillis(1));
		windows.closeIfIdle(1);
		assertThat(this.method.finals).isEmpty();

		this.clock.advance(Duration.ofMillis(1));
		windows.closeIfIdle(1);
		this.clock.advance(Duration.ofMinutes(1));
		windows.closeIfIdle(1);
		assertThat(this.method.finals).containsExactly("00:00:00 [1]");
	}

	@Test
	void aRecordThatArrivesAfterItsWindowClosedGoesToTheNextWindow() {
		ShardWindows windows = windows(new DirectCalls());
		windows.open();
		windows.add(read(record("1", 1)), 0);
		this.clock.advance(Duration.ofSeconds(13));
		windows.closeIfIdle(1);

		windows.add(read(record("2", 9)), 1);
		windows.add(read(record("3", 25)), 2);

		assertThat(this.method.finals).containsExactly("00:00:00 [1]", "00:00:10 [2]");
	}

	@Test
	void aStateLargerThanTheLimitFailsTheCall() {
		assertThat(this.function.toJson(new Ids(List.of("x".repeat(WindowFunction.MAX_STATE_BYTES - 20)))))
			.isNotNull();
		assertThatThrownBy(() -> this.function.toJson(new Ids(List.of("x".repeat(WindowFunction.MAX_STATE_BYTES)))))
			.isInstanceOf(WindowStateTooLargeException.class)
			.hasMessageContaining("bytes as JSON; at most 358400 are kept");
	}

	private ShardWindows windows(WindowCalls calls) {
		return new ShardWindows(this.function, this.states, calls, "ids", "Reviews", "shard-1", this.clock);
	}

	private static List<DynamoDBStreamsClientRecord> read(DynamoDBStreamsClientRecord... records) {
		return List.of(records);
	}

	/**
	 * A record with sequence number {@code sequenceNumber}, written {@code second} seconds after 00:00.
	 */
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

	/**
	 * A window's state: the ids of its records, in the order they were added.
	 */
	record Ids(List<String> ids) {
	}

	/**
	 * The window method: keeps the records' ids, and notes each final call as "HH:mm:ss [ids]".
	 */
	static final class IdsWindow {

		final List<String> finals = new ArrayList<>();

		Ids onWindow(List<ItemChange<Map<String, AttributeValue>>> changes, Ids state, WindowContext context) {
			if (context.finalInvokeForWindow()) {
				this.finals.add(context.windowStart().toString().substring(11, 19) + " " + state.ids());
				return state;
			}
			List<String> ids = new ArrayList<>((state != null) ? state.ids() : List.of());
			changes.forEach((change) -> ids.add(change.newImage().get("id").s()));
			return new Ids(ids);
		}

	}

	/**
	 * Calls the method at once, without an error policy; can crash (throw) right after a final call.
	 */
	static final class DirectCalls implements WindowCalls {

		boolean crashAfterFinalCall;

		@Override
		public boolean accepts(Record record) {
			return true;
		}

		@Override
		public boolean call(List<Record> records, Call call) {
			return run(records, call);
		}

		@Override
		public boolean callFinal(Call call) {
			run(List.of(), call);
			if (this.crashAfterFinalCall) {
				throw new IllegalStateException("crash");
			}
			return true;
		}

		@Override
		public boolean awaitRetry(long millis) {
			return false;
		}

		private static boolean run(List<Record> records, Call call) {
			try {
				call.call(records, 1);
				return true;
			}
			catch (RuntimeException | Error ex) {
				throw ex;
			}
			catch (Throwable ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
