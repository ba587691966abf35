package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
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
 * A consumer stopped for longer than the stream keeps its records (here 8 seconds, with shards closing
 * every 10 records).
 */
@LocalDynamoDbTest(topology = @Topology(shards = 2, rollOverAfterRecords = 10, retention = "PT8S"))
@ExtendWith(OutputCaptureExtension.class)
class TrimmedRecordsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final Duration PAST_RETENTION = Duration.ofSeconds(9);

	private ReviewsTable table;

	private ApplicationContextRunner runner;

	@BeforeEach
	void createTable(LocalDynamoDb local) {
		this.table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		this.runner = TestContexts.runner(this.table).withUserConfiguration(Meters.class, ReviewTrigger.class);
	}

	@Test
	void restartPastTheRetentionReportsTheRecordsTrimmedFromAnOpenShardAndGoesOnFromTheTrimHorizon(
			CapturedOutput output) throws InterruptedException {
		// Fewer than 10 records per shard: the shards stay open, only their records are trimmed.
		restartPastTheRetention(5);

		assertThat(output).containsPattern("ERROR .* Records of table " + this.table.name
				+ " shard shardId-\\S+ after sequence number \\d+ up to the oldest record still in the shard");
	}

	@Test
	void restartPastTheRetentionReportsTheShardsGoneFromTheStreamAndGoesOnWithTheirDescendants(
			CapturedOutput output) throws InterruptedException {
		// Shards close every 10 records, and a shard closed for longer than the retention is gone.
		restartPastTheRetention(30);

		assertThat(output).containsPattern("ERROR .* Records of table " + this.table.name
				+ " shard shardId-\\S+ after sequence number \\d+ up to the shard's end");
	}

	private void restartPastTheRetention(int writtenWhileStopped) throws InterruptedException {
		this.runner.run((context) -> {
			IntStream.range(0, 4).forEach((i) -> this.table.put("p" + i, "before", 1, "x"));
			context.getBean(ReviewTrigger.class).received.awaitCount(4, TIMEOUT);
		});
		IntStream.range(0, writtenWhileStopped).forEach((i) -> this.table.put("p" + i, "stopped", 1, "x"));
		Thread.sleep(PAST_RETENTION.toMillis());

		this.runner.run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			awaitTrimmed(meters);
			// Written once the consumer reads again, so that these are not trimmed before it gets to them.
			IntStream.range(0, 6).forEach((i) -> this.table.put("p" + i, "after", 1, "x"));

			List<String> received = context.getBean(ReviewTrigger.class).received.awaitCount(6, TIMEOUT);

			assertThat(received).containsOnly("after");
			assertThat(meters.get("dynamo.trigger.trimmed").tag("table", this.table.name).counter().count())
				.isPositive();
		});
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

	static class ReviewTrigger {

		final Received<String> received = new Received<>();

		@DynamoTrigger(table = "${test.table}")
		void onReview(ItemChange<Review> change) {
			this.received.add(change.keys().get("reviewId").s());
		}

	}

}
