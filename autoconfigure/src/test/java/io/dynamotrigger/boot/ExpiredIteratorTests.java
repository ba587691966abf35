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
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records handled slower than shard iterators last (here 1 second; a read of 20 records takes 3 seconds,
 * while KCL's reads ahead wait with their iterator), on shards that close every 30 records.
 */
@LocalDynamoDbTest(topology = @Topology(shards = 2, rollOverAfterRecords = 30, iteratorExpiry = "PT1S"))
class ExpiredIteratorTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@Test
	void readsWhoseIteratorExpiredLoseNothingAndRepeatNothing(LocalDynamoDb local) {
		consumeSlowly(local);
	}

	@Test
	void inPerTableKclApplicationsReadsWhoseIteratorExpiredLoseNothingAndRepeatNothing(LocalDynamoDb local) {
		consumeSlowly(local, TestContexts.PER_TABLE);
	}

	private static void consumeSlowly(LocalDynamoDb local, String... properties) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		TestContexts.runner(table).withPropertyValues(properties)
			.withUserConfiguration(Meters.class, SlowTrigger.class).run((context) -> {
				IntStream.range(0, 40).forEach((i) -> table.put("p" + (i % 4), "r" + i, 1, "x"));

				List<String> received = context.getBean(SlowTrigger.class).received.awaitCount(40, TIMEOUT);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				// The read that finds its iterator expired may come after the last record.
				awaitFailedRead(meters);

				assertThat(received).hasSize(40).doesNotHaveDuplicates();
				assertThat(meters.get("dynamo.trigger.getrecords").tag("result", "failed").counter().count())
					.as("reads that failed with an expired iterator").isPositive();
			});
	}

	private static void awaitFailedRead(MeterRegistry meters) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (meters.find("dynamo.trigger.getrecords").tag("result", "failed").counter() == null
				&& System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
	}

	static class SlowTrigger {

		final Received<String> received = new Received<>();

		@DynamoTrigger(table = "${test.table}")
		void onReview(ItemChange<Review> change) throws InterruptedException {
			Thread.sleep(150);
			this.received.add(change.keys().get("reviewId").s());
		}

	}

}
