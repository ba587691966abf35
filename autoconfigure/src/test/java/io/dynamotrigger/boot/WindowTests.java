package io.dynamotrigger.boot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.WindowContext;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbExtension;
import io.dynamotrigger.window.ShardWindows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tumbling windows: each window's final state is what a recomputation from the records' creation times
 * gives, also across a graceful restart in the middle of a window; an idle shard closes its last window
 * within the close delay after the window's end.
 */
@ExtendWith(LocalDynamoDbExtension.class)
class WindowTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(120);

	@Test
	void finalStatesOfThreeWindowsEqualARecomputationFromTheRecords(LocalDynamoDb local) throws Exception {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);

		threeWindowsEqualTheRecomputation(table, TestContexts.runner(table));
	}

	@Test
	void withRecordsOnLanesTheFinalStatesEqualTheRecomputation(LocalDynamoDb local) throws Exception {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);

		threeWindowsEqualTheRecomputation(table,
				TestContexts.runner(table).withPropertyValues("dynamo-trigger.concurrency=4"));
	}

	@Test
	void inPerTableKclApplicationsTheFinalStatesEqualTheRecomputation(LocalDynamoDb local) throws Exception {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);

		threeWindowsEqualTheRecomputation(table, TestContexts.runner(table).withPropertyValues(TestContexts.PER_TABLE));
	}

	/**
	 * Writes a record, then three rounds of 7 records 5 s apart, with 5-second windows; the first window call
	 * fails once and is retried.
	 */
	private static void threeWindowsEqualTheRecomputation(ReviewsTable table, ApplicationContextRunner runner) {
		runner.withPropertyValues("test.window=5s").withUserConfiguration(WindowAndRecordTriggers.class).run((context) -> {
			WindowAndRecordTriggers triggers = context.getBean(WindowAndRecordTriggers.class);
			List<String> written = new ArrayList<>(write(table, 0, 1));
			triggers.records.awaitCount(1, TIMEOUT);
			for (int round = 1; round <= 3; round++) {
				Thread.sleep(5_000);
				written.addAll(write(table, round * 10, round * 10 + 7));
			}
			triggers.records.awaitCount(written.size(), TIMEOUT);
			Map<Instant, Tally> expected = recompute(triggers.records.all(), Duration.ofSeconds(5));
			triggers.finals.awaitUntil((last) -> last.windowStart().equals(lastKey(expected)), TIMEOUT);

			assertThat(expected).hasSizeGreaterThanOrEqualTo(3);
			assertThat(finalsByWindow(triggers.finals.all())).isEqualTo(expected);
			assertThat(triggers.failedOnce).isTrue();
			assertThat(triggers.finals.all()).allSatisfy((last) -> assertThat(last.calls()).isPositive());
		});
	}

	@Test
	void aGracefulRestartInTheMiddleOfAWindowGivesTheSameFinalState(LocalDynamoDb local) throws Exception {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		// A window that outlasts a stop and two starts: 20 s with the fast test settings, a minute with the defaults.
		Duration window = TestContexts.fastFailover() ? Duration.ofSeconds(20) : Duration.ofMinutes(1);
		ApplicationContextRunner runner = TestContexts.runner(table)
			.withPropertyValues("test.window=" + window.toSeconds() + "s")
			.withUserConfiguration(WindowAndRecordTriggers.class);
		awaitWindowWithTimeLeft(window, window.multipliedBy(3).dividedBy(4));
		List<WindowAndRecordTriggers> runs = new ArrayList<>();

		runner.run((context) -> {
			runs.add(context.getBean(WindowAndRecordTriggers.class));
			write(table, 0, 10);
			runs.get(0).records.awaitCount(10, TIMEOUT);
			runs.get(0).calls.awaitCount(1, TIMEOUT);
		});
		write(table, 10, 20);
		runner.run((context) -> {
			runs.add(context.getBean(WindowAndRecordTriggers.class));
			runs.get(1).records.awaitCount(10, TIMEOUT);
			Map<Instant, Tally> expected = recompute(allRecords(runs), window);
			runs.get(1).finals.awaitUntil((last) -> last.windowStart().equals(lastKey(expected)), TIMEOUT);
		});

		Map<Instant, Tally> expected = recompute(allRecords(runs), window);
		assertThat(runs.get(0).finals.all()).as("the first run closed no window").isEmpty();
		assertThat(finalsByWindow(runs.get(1).finals.all())).isEqualTo(expected);
		assertThat(expected.values()).anySatisfy((tally) -> assertThat(tally.count()).isEqualTo(20));
	}

	@Test
	void anIdleShardClosesItsLastWindowWithinTheCloseDelayAfterTheWindowsEnd(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);

		TestContexts.runner(table)
			.withPropertyValues("test.window=5s")
			.withUserConfiguration(WindowAndRecordTriggers.class)
			.run((context) -> {
				WindowAndRecordTriggers triggers = context.getBean(WindowAndRecordTriggers.class);
				// The shard is being read (the consumer started) before the measured record is written.
				write(table, 0, 1);
				triggers.records.awaitCount(1, TIMEOUT);
				write(table, 1, 2);
				List<Final> finals = triggers.finals.awaitUntil((last) -> last.state().ids().contains("r0001"),
						TIMEOUT);
				Final last = finals.stream().filter((one) -> one.state().ids().contains("r0001")).findFirst().get();
				Duration afterEnd = Duration.between(last.windowEnd(), last.calledAt());

				Instant created = triggers.records.awaitCount(2, TIMEOUT).get(1).created();
				System.out.println("Idle close: final call " + afterEnd.toMillis() + " ms after the window's end;"
						+ " the record's approximate creation time as read: " + created);
				assertThat(afterEnd).isBetween(ShardWindows.CLOSE_DELAY, ShardWindows.CLOSE_DELAY.plusMillis(1_500));
			});
	}

	private static List<Change> allRecords(List<WindowAndRecordTriggers> runs) {
		return runs.stream().flatMap((run) -> run.records.all().stream()).toList();
	}

	/**
	 * Waits until the current window of the given length has at least {@code left} to run.
	 */
	private static void awaitWindowWithTimeLeft(Duration length, Duration left) throws InterruptedException {
		long lengthMillis = length.toMillis();
		long intoWindow = System.currentTimeMillis() % lengthMillis;
		if (lengthMillis - intoWindow < left.toMillis()) {
			Thread.sleep(lengthMillis - intoWindow + 200);
		}
	}

	private static Map<Instant, Tally> recompute(List<Change> records, Duration length) {
		Map<Instant, Tally> tallies = new TreeMap<>();
		for (Change change : records) {
			long seconds = length.getSeconds();
			Instant window = Instant.ofEpochSecond(Math.floorDiv(change.created().getEpochSecond(), seconds) * seconds);
			tallies.merge(window, new Tally(1, change.rating(), List.of(change.id())), Tally::plus);
		}
		return tallies;
	}

	private static Map<Instant, Tally> finalsByWindow(List<Final> finals) {
		return finals.stream()
			.collect(Collectors.toMap(Final::windowStart, Final::state, (a, b) -> a.plus(b), TreeMap::new));
	}

	private static Instant lastKey(Map<Instant, Tally> tallies) {
		return ((TreeMap<Instant, Tally>) tallies).lastKey();
	}

	private static List<String> write(ReviewsTable table, int from, int to) {
		List<String> ids = IntStream.range(from, to).mapToObj("r%04d"::formatted).toList();
		ids.forEach((id) -> table.put("p", id, id.hashCode() % 5 + 1, "x"));
		return ids;
	}

	/**
	 * A window's state: how many reviews, their ratings' sum, and their ids.
	 */
	record Tally(int count, int ratingSum, List<String> ids) {

		Tally plus(Tally other) {
			List<String> both = new ArrayList<>(this.ids);
			both.addAll(other.ids);
			return new Tally(this.count + other.count, this.ratingSum + other.ratingSum, both);
		}

	}

	record Change(String id, int rating, Instant created) {
	}

	record Final(Instant windowStart, Instant windowEnd, Tally state, Instant calledAt, int calls) {
	}

	static class WindowAndRecordTriggers {

		final Received<Change> records = new Received<>();

		final Received<Final> finals = new Received<>();

		final Received<Integer> calls = new Received<>();

		final AtomicBoolean failedOnce = new AtomicBoolean();

		@DynamoTrigger(table = "${test.table}", window = "${test.window}")
		Tally onWindow(List<ItemChange<Review>> changes, Tally state, WindowContext context) {
			if (context.finalInvokeForWindow()) {
				this.finals.add(new Final(context.windowStart(), context.windowEnd(), state, Instant.now(),
						this.calls.all().size()));
				return state;
			}
			if (this.failedOnce.compareAndSet(false, true)) {
				throw new IllegalStateException("failing the first call once");
			}
			Tally next = (state != null) ? state : new Tally(0, 0, List.of());
			for (ItemChange<Review> change : changes) {
				Review review = change.newImage();
				next = next.plus(new Tally(1, review.getRating(), List.of(review.getReviewId())));
			}
			this.calls.add(changes.size());
			return next;
		}

		@DynamoTrigger(table = "${test.table}")
		void onRecord(ItemChange<Review> change) {
			Review review = change.newImage();
			this.records.add(new Change(review.getReviewId(), review.getRating(), change.approximateCreationTime()));
		}

	}

}
