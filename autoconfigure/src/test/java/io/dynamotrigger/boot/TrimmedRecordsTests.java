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
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consumer stopped for longer than the stream keeps its records (here 4 seconds, with shards closing
 * every 10 records). Changes that must be read are written once the consumer reads, and read within
 * a second, so the retention only needs to be longer than that.
 */
@LocalDynamoDbTest(topology = @Topology(shards = 2, rollOverAfterRecords = 10, retention = "PT4S"))
@ExtendWith(OutputCaptureExtension.class)
class TrimmedRecordsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final Duration PAST_RETENTION = Duration.ofSeconds(5);

	private ReviewsTable table;

	private ApplicationContextRunner runner;

	@BeforeEach
	void createTable(LocalDynamoDb local) {
		this.table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		this.runner = TestContexts.runner(this.table).withUserConfiguration(Meters.class, ReviewTrigger.class);
	}

	@Test
	void restartPastTheRetentionReportsTheRecordsTrimmedFromAnOpenShardUpToTheOldestRecordLeft(
			CapturedOutput output) throws InterruptedException {
		// Fewer than 10 records per shard: the shards stay open, only their records are trimmed.
		List<Change> received = restartPastTheRetention(5);

		Matcher range = Pattern.compile("ERROR .* Records of table " + this.table.name + " shard (shardId-\\S+) after"
				+ " sequence number (\\d+) up to sequence number (\\d+) \\(the oldest record still in the shard,"
				+ " not included\\)")
			.matcher(output.toString());
		List<String> reported = new ArrayList<>();
		while (range.find()) {
			String shard = range.group(1);
			BigInteger after = new BigInteger(range.group(2));
			BigInteger upTo = new BigInteger(range.group(3));
			// Where the range ends is where reading went on: the shard's first record handled after the restart.
			assertThat(upTo).as("end of the range lost in %s", shard)
				.isGreaterThan(after)
				.isEqualTo(received.stream()
					.filter((change) -> change.shardId().equals(shard))
					.map(Change::sequenceNumber)
					.min(BigInteger::compareTo)
					.orElseThrow());
			reported.add(shard);
		}
		assertThat(reported).as("shards reported with the range they lost").isNotEmpty().doesNotHaveDuplicates();
	}

	@Test
	void restartPastTheRetentionReportsTheShardsGoneFromTheStreamAndTheChildShardsItGoesOnWith(
			CapturedOutput output, LocalDynamoDb local) throws InterruptedException {
		// Shards close every 10 records, and a shard closed for longer than the retention is gone.
		restartPastTheRetention(30);

		Matcher gone = Pattern.compile("ERROR .* Records of table " + this.table.name + " shard (shardId-\\S+) after"
				+ " sequence number \\d+ up to the shard's end, if there were any, .* Going on with its child shards"
				+ " \\[([^\\]]+)\\]")
			.matcher(output.toString());
		assertThat(gone.find()).as("a gone shard reported with the child shards reading goes on with").isTrue();
		try (StreamShapes shapes = new StreamShapes(local)) {
			Map<String, String> parents = new HashMap<>();
			shapes.shards(shapes.streamArn(this.table.name))
				.forEach((shard) -> parents.put(shard.shardId(), shard.parentShardId()));
			do {
				String goneShard = gone.group(1);
				assertThat(gone.group(2).split(", ")).allSatisfy(
						(child) -> assertThat(parents).as("parents of the shards").containsEntry(child, goneShard));
			}
			while (gone.find());
		}
	}

	@Test
	void aTableRecreatedLongerAgoThanTheRetentionReportsTheOldStreamsLostRecordsAndGoesOnWithTheNewStream(
			CapturedOutput output) throws InterruptedException {
		readSomeThenStop();
		IntStream.range(0, 4).forEach((i) -> this.table.put("p" + i, "old", 1, "x"));
		this.table.delete();
		this.table.create(StreamViewType.NEW_AND_OLD_IMAGES);
		Thread.sleep(PAST_RETENTION.toMillis());

		this.runner.run((context) -> {
			awaitOutput(output, "can no longer be read");
			// Written once the consumer goes on with the new stream, so that these are not trimmed first.
			IntStream.range(0, 6).forEach((i) -> this.table.put("p" + i, "new", 1, "x"));

			List<Change> received = context.getBean(ReviewTrigger.class).received.awaitCount(6, TIMEOUT);

			assertThat(received).extracting(Change::reviewId).containsOnly("new");
		});
		assertThat(output).containsPattern("ERROR .* The stream of lease table e2e-" + this.table.name
				+ " changed from \\S+ to \\S+, and shards of the old stream \\S+ can no longer be read .*: its records"
				+ " of shard shardId-\\S+ after sequence number \\d+ up to the shard's end.* are lost");
	}

	/**
	 * Reads a first few changes, then stops. They are written once the consumer reads both shards: its first
	 * start may take longer than the retention, and changes trimmed before their first read leave no checkpoint.
	 */
	private void readSomeThenStop() {
		this.runner.run((context) -> {
			PollingStats stats = context.getBean(TriggerRegistry.class).pollingStats();
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			while (stats.shards().stream().filter((shard) -> shard.table().equals(this.table.name)
					&& shard.calls() > 0).count() < 2 && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			IntStream.range(0, 4).forEach((i) -> this.table.put("p" + i, "before", 1, "x"));
			context.getBean(ReviewTrigger.class).received.awaitCount(4, TIMEOUT);
		});
	}

	private static void awaitOutput(CapturedOutput output, String text) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (!output.toString().contains(text) && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
	}

	private List<Change> restartPastTheRetention(int writtenWhileStopped) throws InterruptedException {
		readSomeThenStop();
		IntStream.range(0, writtenWhileStopped).forEach((i) -> this.table.put("p" + i, "stopped", 1, "x"));
		Thread.sleep(PAST_RETENTION.toMillis());

		List<Change> afterRestart = new ArrayList<>();
		this.runner.run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			awaitTrimmed(meters);
			// Written once the consumer reads again, so that these are not trimmed before it gets to them.
			IntStream.range(0, 6).forEach((i) -> this.table.put("p" + i, "after", 1, "x"));

			List<Change> received = context.getBean(ReviewTrigger.class).received.awaitCount(6, TIMEOUT);

			assertThat(received).extracting(Change::reviewId).containsOnly("after");
			assertThat(meters.get("dynamo.trigger.trimmed").tag("table", this.table.name).counter().count())
				.isPositive();
			afterRestart.addAll(received);
		});
		return afterRestart;
	}

	private void awaitTrimmed(MeterRegistry meters) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (meters.find("dynamo.trigger.trimmed").tag("table", this.table.name).counter() == null
				&& System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Meters {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	/**
	 * A change as the trigger was called with it, and where it was read.
	 */
	record Change(String reviewId, String shardId, BigInteger sequenceNumber) {

	}

	static class ReviewTrigger {

		final Received<Change> received = new Received<>();

		@DynamoTrigger(table = "${test.table}")
		void onReview(ItemChange<Review> change, TriggerContext context) {
			this.received.add(new Change(change.keys().get("reviewId").s(), context.shardId(),
					new BigInteger(context.sequenceNumber())));
		}

	}

}
