package io.dynamotrigger.boot;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.TriggerContext;
import io.dynamotrigger.kcl.polling.PollingStats;
import io.dynamotrigger.listener.TriggerRegistry;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbTest;
import io.dynamotrigger.test.LocalDynamoDbTest.Topology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consumer stopped for longer than the stream keeps its records (here 4 seconds, with shards closing
 * every 10 records), on three tables read by one application: one whose shards stay open while it is
 * stopped, one whose shards close and are gone, one deleted and created again. One stop, one wait past
 * the retention and one restart serve the three. Changes that must be read are written once the consumer
 * reads every open shard, and are read within a second, so the retention only needs to be longer than that.
 */
@LocalDynamoDbTest(topology = @Topology(shards = 2, rollOverAfterRecords = 10, retention = "PT4S"))
@ExtendWith(OutputCaptureExtension.class)
@TestInstance(Lifecycle.PER_CLASS)
class TrimmedRecordsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final Duration PAST_RETENTION = Duration.ofSeconds(5);

	private ReviewsTable open;

	private ReviewsTable gone;

	private ReviewsTable recreated;

	/** What each table's trigger handled after the restart. */
	private final Map<String, List<Change>> afterRestart = new HashMap<>();

	/** Trimmed reads counted after the restart, by table. */
	private final Map<String, Double> trimmed = new HashMap<>();

	/** The parent of each shard of the gone table's stream, as described after the restart. */
	private final Map<String, String> parents = new HashMap<>();

	private String output;

	@BeforeAll
	void restartPastTheRetention(LocalDynamoDb local, CapturedOutput output) throws InterruptedException {
		this.open = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		this.gone = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		this.recreated = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		ApplicationContextRunner runner = TestContexts.runner(this.open)
			.withPropertyValues("test.gone=" + this.gone.name, "test.recreated=" + this.recreated.name)
			.withUserConfiguration(Meters.class, ReviewTriggers.class);
		runner.run((context) -> {
			awaitReading(context, local, this.open, this.gone, this.recreated);
			for (ReviewsTable table : List.of(this.open, this.gone, this.recreated)) {
				IntStream.range(0, 4).forEach((i) -> table.put("p" + i, "before", 1, "x"));
			}
			for (ReviewsTable table : List.of(this.open, this.gone, this.recreated)) {
				received(context, table).awaitCount(4, TIMEOUT);
			}
		});
		// Fewer than 10 records per shard: the shards stay open, only their records are trimmed.
		IntStream.range(0, 5).forEach((i) -> this.open.put("p" + i, "stopped", 1, "x"));
		// Shards close every 10 records, and a shard closed for longer than the retention is gone.
		IntStream.range(0, 30).forEach((i) -> this.gone.put("p" + i, "stopped", 1, "x"));
		IntStream.range(0, 4).forEach((i) -> this.recreated.put("p" + i, "old", 1, "x"));
		this.recreated.delete();
		this.recreated.create(StreamViewType.NEW_AND_OLD_IMAGES);
		Thread.sleep(PAST_RETENTION.toMillis());

		runner.run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			awaitTrimmed(meters, this.open.name);
			awaitTrimmed(meters, this.gone.name);
			awaitOutput(output, "can no longer be read");
			awaitReading(context, local, this.open, this.gone, this.recreated);
			// Written once the consumer reads again, so that these are not trimmed before it gets to them.
			for (ReviewsTable table : List.of(this.open, this.gone, this.recreated)) {
				IntStream.range(0, 6).forEach((i) -> table.put("p" + i, "after", 1, "x"));
			}
			for (ReviewsTable table : List.of(this.open, this.gone, this.recreated)) {
				this.afterRestart.put(table.name, received(context, table).awaitCount(6, TIMEOUT));
				Counter counter = meters.find("dynamo.trigger.trimmed").tag("table", table.name).counter();
				this.trimmed.put(table.name, (counter != null) ? counter.count() : 0.0);
			}
		});
		try (StreamShapes shapes = new StreamShapes(local)) {
			shapes.shards(shapes.streamArn(this.gone.name))
				.forEach((shard) -> this.parents.put(shard.shardId(), shard.parentShardId()));
		}
		this.output = output.toString();
	}

	@Test
	void restartPastTheRetentionGoesOnFromTheOldestRecordLeftAndCountsTheTrimmedReads() {
		for (ReviewsTable table : List.of(this.open, this.gone)) {
			assertThat(this.afterRestart.get(table.name)).extracting(Change::reviewId).containsOnly("after");
			assertThat(this.trimmed.get(table.name)).as("trimmed reads of %s", table.name).isPositive();
		}
	}

	@Test
	void restartPastTheRetentionReportsTheRecordsTrimmedFromAnOpenShardUpToTheOldestRecordLeft() {
		Matcher range = Pattern.compile("ERROR .* Records of table " + this.open.name + " shard (shardId-\\S+) after"
				+ " sequence number (\\d+) up to sequence number (\\d+) \\(the oldest record still in the shard,"
				+ " not included\\)")
			.matcher(this.output);
		List<String> reported = new ArrayList<>();
		while (range.find()) {
			String shard = range.group(1);
			BigInteger after = new BigInteger(range.group(2));
			BigInteger upTo = new BigInteger(range.group(3));
			// Where the range ends is where reading went on: the shard's first record handled after the restart.
			assertThat(upTo).as("end of the range lost in %s", shard)
				.isGreaterThan(after)
				.isEqualTo(this.afterRestart.get(this.open.name)
					.stream()
					.filter((change) -> change.shardId().equals(shard))
					.map(Change::sequenceNumber)
					.min(BigInteger::compareTo)
					.orElseThrow());
			reported.add(shard);
		}
		assertThat(reported).as("shards reported with the range they lost").isNotEmpty().doesNotHaveDuplicates();
	}

	@Test
	void restartPastTheRetentionReportsTheShardsGoneFromTheStreamAndTheChildShardsItGoesOnWith() {
		Matcher gone = Pattern.compile("ERROR .* Records of table " + this.gone.name + " shard (shardId-\\S+) after"
				+ " sequence number \\d+ up to the shard's end, if there were any, .* Going on with its child shards"
				+ " \\[([^\\]]+)\\]")
			.matcher(this.output);
		assertThat(gone.find()).as("a gone shard reported with the child shards reading goes on with").isTrue();
		do {
			String goneShard = gone.group(1);
			assertThat(gone.group(2).split(", ")).allSatisfy(
					(child) -> assertThat(this.parents).as("parents of the shards").containsEntry(child, goneShard));
		}
		while (gone.find());
	}

	@Test
	void aTableRecreatedLongerAgoThanTheRetentionReportsTheOldStreamsLostRecordsAndGoesOnWithTheNewStream() {
		assertThat(this.afterRestart.get(this.recreated.name)).extracting(Change::reviewId).containsOnly("after");
		assertThat(this.output).containsPattern("ERROR .* Older stream \\S+ of table " + this.recreated.name
				+ " (has shards that )?can no longer be read .*: its records of shard shardId-\\S+ after sequence number"
				+ " \\d+ up to the shard's end.* are lost");
	}

	/**
	 * Waits until the consumer reads every open shard of each table: its start may take longer than the
	 * retention (with the default timings, half a minute), and changes trimmed before their first read
	 * leave no checkpoint, or are lost.
	 */
	private static void awaitReading(ApplicationContext context, LocalDynamoDb local, ReviewsTable... tables)
			throws InterruptedException {
		PollingStats stats = context.getBean(TriggerRegistry.class).pollingStats();
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		try (StreamShapes shapes = new StreamShapes(local)) {
			for (ReviewsTable table : tables) {
				List<String> open = shapes.shards(shapes.streamArn(table.name))
					.stream()
					.filter((shard) -> shard.sequenceNumberRange().endingSequenceNumber() == null)
					.map(Shard::shardId)
					.toList();
				while (!stats.shards().stream().filter((shard) -> shard.calls() > 0).map(PollingStats.ShardReads::shardId)
					.toList().containsAll(open) && System.nanoTime() < deadline) {
					Thread.sleep(20);
				}
			}
		}
	}

	private Received<Change> received(ApplicationContext context, ReviewsTable table) {
		ReviewTriggers triggers = context.getBean(ReviewTriggers.class);
		if (table == this.open) {
			return triggers.open;
		}
		return (table == this.gone) ? triggers.gone : triggers.recreated;
	}

	private static void awaitTrimmed(MeterRegistry meters, String table) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (meters.find("dynamo.trigger.trimmed").tag("table", table).counter() == null
				&& System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
	}

	private static void awaitOutput(CapturedOutput output, String text) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (!output.toString().contains(text) && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
	}

	/**
	 * A change as the trigger was called with it, and where it was read.
	 */
	record Change(String reviewId, String shardId, BigInteger sequenceNumber) {

		static Change of(ItemChange<Review> change, TriggerContext context) {
			return new Change(change.keys().get("reviewId").s(), context.shardId(),
					new BigInteger(context.sequenceNumber()));
		}

	}

	static class ReviewTriggers {

		final Received<Change> open = new Received<>();

		final Received<Change> gone = new Received<>();

		final Received<Change> recreated = new Received<>();

		@DynamoTrigger(table = "${test.table}")
		void onOpen(ItemChange<Review> change, TriggerContext context) {
			this.open.add(Change.of(change, context));
		}

		@DynamoTrigger(table = "${test.gone}")
		void onGone(ItemChange<Review> change, TriggerContext context) {
			this.gone.add(Change.of(change, context));
		}

		@DynamoTrigger(table = "${test.recreated}")
		void onRecreated(ItemChange<Review> change, TriggerContext context) {
			this.recreated.add(Change.of(change, context));
		}

	}

}
