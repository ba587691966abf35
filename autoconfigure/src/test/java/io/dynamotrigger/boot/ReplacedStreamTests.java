package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbTest;
import io.dynamotrigger.test.LocalDynamoDbTest.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tables whose stream is replaced while the application is stopped, with changes in the old stream that
 * were not read yet: the old stream stays readable (until its records expire) and is read to its end
 * before the new one. Shards close every 8 records, so that the old stream has closed shards and children.
 *
 * <p>Four tables share one start, stop and restart: one whose stream is disabled and enabled again, one
 * deleted and created again, one like the first read from LATEST, and one whose stream is replaced twice. Two instances on one lease table,
 * and a new consumer reading from LATEST, have tables and runs of their own.
 */
@LocalDynamoDbTest(topology = @Topology(shards = 2, rollOverAfterRecords = 8))
@ExtendWith(OutputCaptureExtension.class)
@TestInstance(Lifecycle.PER_CLASS)
class ReplacedStreamTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private LocalDynamoDb local;

	private ReviewsTable reenabled;

	private ReviewsTable recreated;

	private ReviewsTable latest;

	private ReviewsTable twice;

	/** What each shared table's trigger handled after the restart, by table, markers left out. */
	private final Map<String, List<String>> received = new HashMap<>();

	private String output;

	/** The tables the second run's GetRecords calls were counted under. */
	private final Set<String> readTables = new HashSet<>();

	@BeforeAll
	void replaceStreamsWhileStopped(LocalDynamoDb local, CapturedOutput output) {
		this.local = local;
		this.reenabled = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		this.recreated = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		this.latest = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		this.twice = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		List<ReviewsTable> tables = List.of(this.reenabled, this.recreated, this.latest, this.twice);
		ApplicationContextRunner runner = runner(this.reenabled)
			.withPropertyValues("test.recreated=" + this.recreated.name, "test.latest=" + this.latest.name,
					"test.twice=" + this.twice.name,
					"dynamo-trigger.tables." + this.latest.name + ".starting-position=latest")
			.withUserConfiguration(SharedTriggers.class);
		runner.run((context) -> {
			SharedTriggers triggers = context.getBean(SharedTriggers.class);
			for (ReviewsTable table : tables) {
				readSome(table, of(triggers, table));
			}
		});
		IntStream.range(0, 20).forEach((i) -> this.recreated.put("p" + i % 5, "old-" + i, 1, "x"));
		this.recreated.delete();
		this.recreated.create(StreamViewType.NEW_AND_OLD_IMAGES);
		IntStream.range(0, 5).forEach((i) -> this.recreated.put("p" + i, "new-" + i, 1, "x"));
		replaceStreamWithUnreadChanges(this.reenabled);
		replaceStreamWithUnreadChanges(this.latest);
		IntStream.range(0, 10).forEach((i) -> this.twice.put("p" + i % 5, "first-stream-" + i, 1, "x"));
		enableStream(this.twice, false);
		enableStream(this.twice, true);
		IntStream.range(0, 10).forEach((i) -> this.twice.put("p" + i % 5, "second-stream-" + i, 1, "x"));
		enableStream(this.twice, false);
		enableStream(this.twice, true);
		IntStream.range(0, 5).forEach((i) -> this.twice.put("p" + i, "third-stream-" + i, 1, "x"));

		runner.withUserConfiguration(Meters.class).run((context) -> {
			SharedTriggers triggers = context.getBean(SharedTriggers.class);
			for (ReviewsTable table : tables) {
				this.received.put(table.name, awaitAll(of(triggers, table)));
			}
			this.readTables.addAll(context.getBean(MeterRegistry.class)
				.find("dynamo.trigger.getrecords")
				.counters()
				.stream()
				.map((counter) -> counter.getId().getTag("table"))
				.toList());
		});
		this.output = output.toString();
	}

	/**
	 * The older streams are read as their tables: their reads counted under the table, with its polling.
	 */
	@Test
	void theReadsOfOlderStreamsCountUnderTheirTables() {
		assertThat(this.readTables).isNotEmpty()
			.allSatisfy((table) -> assertThat(table).isIn(this.reenabled.name, this.recreated.name, this.latest.name,
					this.twice.name));
	}

	@Test
	void streamDisabledAndEnabledAgainIsReadToItsEndBeforeTheNewStream() {
		List<String> received = this.received.get(this.reenabled.name);

		assertThat(received).containsExactlyInAnyOrderElementsOf(expected());
		assertThat(received.subList(0, 20)).allMatch((id) -> id.startsWith("old-"));
		assertThat(this.output).containsPattern(olderStreamReadFirst(this.reenabled.name));
	}

	/**
	 * Replaced twice while no consumer ran: the stream in between is read to its end too, after the first
	 * and before the current one (found with ListStreams).
	 */
	@Test
	void streamReplacedTwiceWhileStoppedHasEachStreamReadToItsEndInTurn() {
		List<String> received = this.received.get(this.twice.name);

		assertThat(received).hasSize(25);
		assertThat(received.subList(0, 10)).allMatch((id) -> id.startsWith("first-stream-"));
		assertThat(received.subList(10, 20)).allMatch((id) -> id.startsWith("second-stream-"));
		assertThat(received.subList(20, 25)).allMatch((id) -> id.startsWith("third-stream-"));
		assertThat(this.output).containsPattern(streamInBetweenReadNext(this.twice.name));
	}

	@Test
	void recreatedTablesOldStreamIsReadToItsEndBeforeTheNewStream() {
		List<String> received = this.received.get(this.recreated.name);

		assertThat(received).containsExactlyInAnyOrderElementsOf(expected());
		assertThat(received.subList(0, 20)).allMatch((id) -> id.startsWith("old-"));
	}

	/**
	 * Starting position LATEST on a consumer that read records before: the old stream's records after its
	 * checkpoints are not handled yet, nor are the new stream's written before it went on; all are read.
	 */
	@Test
	void withLatestAConsumerThatReadBeforeReadsTheOldStreamToItsEndThenTheNewStreamFromItsOldestRecord() {
		List<String> received = this.received.get(this.latest.name);

		assertThat(received).containsExactlyInAnyOrderElementsOf(expected());
		assertThat(received.subList(0, 20)).allMatch((id) -> id.startsWith("old-"));
	}

	/**
	 * Two instances on one lease table: the old stream's shards are shared out between them (or all go to one),
	 * each record is handled by one of them, and none of the new stream before the old one is read to its end.
	 */
	@Test
	void twoInstancesReadTheOldStreamToItsEndOnceThenTheNewStream() throws InterruptedException {
		ReviewsTable table = new ReviewsTable(this.local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		ApplicationContextRunner runner = runner(table).withUserConfiguration(ReviewTrigger.class);
		runner.run((context) -> readSome(table, context.getBean(ReviewTrigger.class).received));
		replaceStreamWithUnreadChanges(table);

		List<Handled> handled = new ArrayList<>();
		runner.run((first) -> runner.run((second) -> {
			Received<Handled> one = first.getBean(ReviewTrigger.class).received;
			Received<Handled> other = second.getBean(ReviewTrigger.class).received;
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			while (withoutMarkers(one.all()).size() + withoutMarkers(other.all()).size() < 25
					&& System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			// Time for a record handled twice to show.
			Thread.sleep(2_000);
			handled.addAll(one.all());
			handled.addAll(other.all());
			System.out.printf("two instances on a replaced stream: %d and %d handled%n", one.all().size(),
					other.all().size());
		}));

		List<Handled> changes = handled.stream().filter((h) -> !h.reviewId().startsWith("marker-")).toList();
		assertThat(changes).extracting(Handled::reviewId).containsExactlyInAnyOrderElementsOf(expected());
		long lastOld = changes.stream()
			.filter((h) -> h.reviewId().startsWith("old-"))
			.mapToLong(Handled::nanos)
			.max()
			.orElseThrow();
		assertThat(changes).filteredOn((h) -> h.reviewId().startsWith("new-"))
			.allSatisfy((h) -> assertThat(h.nanos()).as("handled after the old stream's last record")
				.isGreaterThan(lastOld));
	}

	/**
	 * Starting position LATEST on a consumer that never read the table: nothing of the old stream, and of the
	 * new one only what is written once it reads.
	 */
	@Test
	void withLatestANewConsumerReadsOnlyTheNewStreamFromWhereItStarts() {
		ReviewsTable table = new ReviewsTable(this.local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		IntStream.range(0, 5).forEach((i) -> table.put("p" + i, "old-" + i, 1, "x"));
		enableStream(table, false);
		enableStream(table, true);
		IntStream.range(0, 5).forEach((i) -> table.put("p" + i, "before-" + i, 1, "x"));

		runner(table).withUserConfiguration(ReviewTrigger.class)
			.withPropertyValues("dynamo-trigger.starting-position=latest")
			.run((context) -> {
				Received<Handled> received = context.getBean(ReviewTrigger.class).received;
				awaitReading(table, received);
				IntStream.range(0, 5).forEach((i) -> table.put("p" + i, "after-" + i, 1, "x"));
				List<Handled> handled = received.awaitUntil(
						(h) -> ids(received.all()).containsAll(afterStart()), TIMEOUT);

				assertThat(withoutMarkers(handled)).containsExactlyInAnyOrderElementsOf(afterStart());
			});
	}

	/**
	 * The application on a table, in the KCL application mode under test.
	 */
	ApplicationContextRunner runner(ReviewsTable table) {
		return TestContexts.runner(table);
	}

	/**
	 * What the log says when a table's old stream is read to its end first.
	 */
	String olderStreamReadFirst(String table) {
		return "Table " + table + " has older streams \\[\\S+\\] with records not read yet: reading them to their end"
				+ " first, in turn, then stream \\S+";
	}

	/**
	 * What the log says when a stream the table had in between is read next.
	 */
	String streamInBetweenReadNext(String table) {
		return "Table " + table + " has older streams \\[\\S+, \\S+\\] with records not read yet: reading them to their"
				+ " end first, in turn, then stream \\S+";
	}

	private Received<Handled> of(SharedTriggers triggers, ReviewsTable table) {
		if (table == this.reenabled) {
			return triggers.reenabled;
		}
		if (table == this.twice) {
			return triggers.twice;
		}
		return (table == this.recreated) ? triggers.recreated : triggers.latest;
	}

	private static List<String> afterStart() {
		return IntStream.range(0, 5).mapToObj((i) -> "after-" + i).toList();
	}

	private static void replaceStreamWithUnreadChanges(ReviewsTable table) {
		IntStream.range(0, 20).forEach((i) -> table.put("p" + i % 5, "old-" + i, 1, "x"));
		enableStream(table, false);
		enableStream(table, true);
		IntStream.range(0, 5).forEach((i) -> table.put("p" + i, "new-" + i, 1, "x"));
	}

	/**
	 * Has a first few changes read, written once the consumer reads (with LATEST, changes written before are
	 * not read).
	 */
	private static void readSome(ReviewsTable table, Received<Handled> received) throws InterruptedException {
		awaitReading(table, received);
		List<String> first = IntStream.range(0, 4).mapToObj((i) -> "first-" + i).toList();
		IntStream.range(0, 4).forEach((i) -> table.put("p" + i, first.get(i), 1, "x"));
		received.awaitUntil((h) -> ids(received.all()).containsAll(first), TIMEOUT);
	}

	/**
	 * Writes a marker change until the consumer handled one: it then reads, and with LATEST has taken its
	 * position.
	 */
	private static void awaitReading(ReviewsTable table, Received<Handled> received) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		for (int i = 0; received.all().isEmpty() && System.nanoTime() < deadline; i++) {
			table.put("p" + i % 5, "marker-" + i, 1, "x");
			Thread.sleep(250);
		}
		assertThat(received.all()).as("changes handled within %s", TIMEOUT).isNotEmpty();
	}

	/**
	 * Waits for the 25 changes written around the replacement, and returns what was handled, without markers.
	 */
	private static List<String> awaitAll(Received<Handled> received) {
		return withoutMarkers(received.awaitUntil((h) -> withoutMarkers(received.all()).size() >= 25, TIMEOUT));
	}

	private static List<String> withoutMarkers(List<Handled> handled) {
		return ids(handled).stream().filter((id) -> !id.startsWith("marker-")).toList();
	}

	private static List<String> ids(List<Handled> handled) {
		return handled.stream().map(Handled::reviewId).toList();
	}

	private static List<String> expected() {
		return IntStream.range(0, 25).mapToObj((i) -> (i < 20) ? "old-" + i : "new-" + (i - 20)).toList();
	}

	private static void enableStream(ReviewsTable table, boolean enabled) {
		table.client.updateTable((update) -> update.tableName(table.name).streamSpecification((stream) -> {
			stream.streamEnabled(enabled);
			if (enabled) {
				stream.streamViewType(StreamViewType.NEW_AND_OLD_IMAGES);
			}
		}));
	}

	/**
	 * A change a trigger handled, and when.
	 */
	record Handled(String reviewId, long nanos) {

		static Handled of(ItemChange<Review> change) {
			return new Handled(change.keys().get("reviewId").s(), System.nanoTime());
		}

	}

	static class ReviewTrigger {

		final Received<Handled> received = new Received<>();

		@DynamoTrigger(table = "${test.table}")
		void onReview(ItemChange<Review> change) {
			this.received.add(Handled.of(change));
		}

	}

	static class SharedTriggers {

		final Received<Handled> reenabled = new Received<>();

		final Received<Handled> recreated = new Received<>();

		final Received<Handled> latest = new Received<>();

		final Received<Handled> twice = new Received<>();

		@DynamoTrigger(table = "${test.table}")
		void onReenabled(ItemChange<Review> change) {
			this.reenabled.add(Handled.of(change));
		}

		@DynamoTrigger(table = "${test.recreated}")
		void onRecreated(ItemChange<Review> change) {
			this.recreated.add(Handled.of(change));
		}

		@DynamoTrigger(table = "${test.latest}")
		void onLatest(ItemChange<Review> change) {
			this.latest.add(Handled.of(change));
		}

		@DynamoTrigger(table = "${test.twice}")
		void onTwice(ItemChange<Review> change) {
			this.twice.add(Handled.of(change));
		}

	}

}
