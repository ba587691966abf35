package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbTest;
import io.dynamotrigger.test.LocalDynamoDbTest.Topology;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A table whose stream is replaced while the application is stopped, with changes in the old stream that
 * were not read yet: the old stream stays readable (until its records expire) and is read to its end
 * before the new one. Shards close every 8 records, so that the old stream has closed shards and children.
 */
@LocalDynamoDbTest(topology = @Topology(shards = 2, rollOverAfterRecords = 8))
@ExtendWith(OutputCaptureExtension.class)
class ReplacedStreamTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private ReviewsTable table;

	private ApplicationContextRunner runner;

	@BeforeEach
	void createTable(LocalDynamoDb local) {
		this.table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		this.runner = TestContexts.runner(this.table).withUserConfiguration(ReviewTrigger.class);
	}

	@Test
	void streamDisabledAndEnabledAgainIsReadToItsEndBeforeTheNewStream(CapturedOutput output) {
		readSomeThenStop(this.runner);
		replaceStreamWithUnreadChanges();

		List<String> received = readAgain(this.runner);

		assertThat(received).containsExactlyInAnyOrderElementsOf(expected());
		assertThat(received.subList(0, 20)).allMatch((id) -> id.startsWith("old-"));
		assertThat(output).contains("reading the old stream to its end first, then the new one");
	}

	@Test
	void recreatedTablesOldStreamIsReadToItsEndBeforeTheNewStream() {
		readSomeThenStop(this.runner);
		IntStream.range(0, 20).forEach((i) -> this.table.put("p" + i % 5, "old-" + i, 1, "x"));
		this.table.delete();
		this.table.create(StreamViewType.NEW_AND_OLD_IMAGES);
		IntStream.range(0, 5).forEach((i) -> this.table.put("p" + i, "new-" + i, 1, "x"));

		List<String> received = readAgain(this.runner);

		assertThat(received).containsExactlyInAnyOrderElementsOf(expected());
		assertThat(received.subList(0, 20)).allMatch((id) -> id.startsWith("old-"));
	}

	/**
	 * Two instances on one lease table: the old stream's shards are shared out between them (or all go to one),
	 * each record is handled by one of them, and none of the new stream before the old one is read to its end.
	 */
	@Test
	void twoInstancesReadTheOldStreamToItsEndOnceThenTheNewStream() throws InterruptedException {
		readSomeThenStop(this.runner);
		replaceStreamWithUnreadChanges();

		List<Handled> handled = new ArrayList<>();
		this.runner.run((first) -> this.runner.run((second) -> {
			Received<Handled> one = first.getBean(ReviewTrigger.class).received;
			Received<Handled> other = second.getBean(ReviewTrigger.class).received;
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			while (one.all().size() + other.all().size() < 25 && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			// Time for a record handled twice to show.
			Thread.sleep(2_000);
			handled.addAll(one.all());
			handled.addAll(other.all());
			System.out.printf("two instances on a replaced stream: %d and %d handled%n", one.all().size(),
					other.all().size());
		}));

		assertThat(handled).extracting(Handled::reviewId).containsExactlyInAnyOrderElementsOf(expected());
		long lastOld = handled.stream().filter((h) -> h.reviewId().startsWith("old-")).mapToLong(Handled::nanos).max()
			.orElseThrow();
		assertThat(handled).filteredOn((h) -> h.reviewId().startsWith("new-"))
			.allSatisfy((h) -> assertThat(h.nanos()).as("handled after the old stream's last record").isGreaterThan(lastOld));
	}

	/**
	 * Starting position LATEST on a consumer that read records before: the old stream's records after its
	 * checkpoints are not handled yet, nor are the new stream's written before it went on; all are read.
	 */
	@Test
	void withLatestAConsumerThatReadBeforeReadsTheOldStreamToItsEndThenTheNewStreamFromItsOldestRecord() {
		ApplicationContextRunner latest = this.runner.withPropertyValues("dynamo-trigger.starting-position=latest");
		readSomeThenStop(latest);
		replaceStreamWithUnreadChanges();

		List<String> received = readAgain(latest);

		assertThat(received).containsExactlyInAnyOrderElementsOf(expected());
		assertThat(received.subList(0, 20)).allMatch((id) -> id.startsWith("old-"));
	}

	/**
	 * Starting position LATEST on a consumer that never read the table: nothing of the old stream, and of the
	 * new one only what is written once it reads.
	 */
	@Test
	void withLatestANewConsumerReadsOnlyTheNewStreamFromWhereItStarts() {
		IntStream.range(0, 5).forEach((i) -> this.table.put("p" + i, "old-" + i, 1, "x"));
		enableStream(false);
		enableStream(true);
		IntStream.range(0, 5).forEach((i) -> this.table.put("p" + i, "before-" + i, 1, "x"));

		this.runner.withPropertyValues("dynamo-trigger.starting-position=latest").run((context) -> {
			Received<Handled> received = context.getBean(ReviewTrigger.class).received;
			awaitReading(received);
			IntStream.range(0, 5).forEach((i) -> this.table.put("p" + i, "after-" + i, 1, "x"));
			assertThat(ids(received.awaitUntil((h) -> ids(received.all()).containsAll(afterStart()), TIMEOUT)))
				.filteredOn((id) -> !id.startsWith("marker-"))
				.containsExactlyInAnyOrderElementsOf(afterStart());
		});
	}

	private static List<String> afterStart() {
		return IntStream.range(0, 5).mapToObj((i) -> "after-" + i).toList();
	}

	private void replaceStreamWithUnreadChanges() {
		IntStream.range(0, 20).forEach((i) -> this.table.put("p" + i % 5, "old-" + i, 1, "x"));
		enableStream(false);
		enableStream(true);
		IntStream.range(0, 5).forEach((i) -> this.table.put("p" + i, "new-" + i, 1, "x"));
	}

	/**
	 * Reads a first few changes, written once the consumer reads (with LATEST, changes written before are
	 * not read), then stops.
	 */
	private void readSomeThenStop(ApplicationContextRunner runner) {
		runner.run((context) -> {
			Received<Handled> received = context.getBean(ReviewTrigger.class).received;
			awaitReading(received);
			IntStream.range(0, 4).forEach((i) -> this.table.put("p" + i, "first-" + i, 1, "x"));
			received.awaitUntil((h) -> ids(received.all()).containsAll(
					IntStream.range(0, 4).mapToObj((i) -> "first-" + i).toList()), TIMEOUT);
		});
	}

	/**
	 * Writes a marker change to every shard until the consumer handled one: it then reads, and with LATEST
	 * has taken its position.
	 */
	private void awaitReading(Received<Handled> received) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		for (int i = 0; received.all().isEmpty() && System.nanoTime() < deadline; i++) {
			this.table.put("p" + i % 5, "marker-" + i, 1, "x");
			Thread.sleep(250);
		}
		assertThat(received.all()).as("changes handled within %s", TIMEOUT).isNotEmpty();
	}

	/**
	 * Starts again and returns the changes handled, leaving out the markers of the first start.
	 */
	private List<String> readAgain(ApplicationContextRunner runner) {
		List<String> received = new ArrayList<>();
		runner.run((context) -> {
			Received<Handled> handled = context.getBean(ReviewTrigger.class).received;
			handled.awaitUntil((h) -> ids(handled.all()).stream().filter((id) -> !id.startsWith("marker-")).count() >= 25,
					TIMEOUT);
			received.addAll(ids(handled.all()));
		});
		return received.stream().filter((id) -> !id.startsWith("marker-")).toList();
	}

	private static List<String> ids(List<Handled> handled) {
		return handled.stream().map(Handled::reviewId).toList();
	}

	private static List<String> expected() {
		return IntStream.range(0, 25).mapToObj((i) -> (i < 20) ? "old-" + i : "new-" + (i - 20)).toList();
	}

	private void enableStream(boolean enabled) {
		this.table.client.updateTable((update) -> update.tableName(this.table.name)
			.streamSpecification((stream) -> {
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

	}

	static class ReviewTrigger {

		final Received<Handled> received = new Received<>();

		@DynamoTrigger(table = "${test.table}")
		void onReview(ItemChange<Review> change) {
			this.received.add(new Handled(change.keys().get("reviewId").s(), System.nanoTime()));
		}

	}

}
