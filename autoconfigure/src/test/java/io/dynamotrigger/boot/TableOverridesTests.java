package io.dynamotrigger.boot;

import java.time.Duration;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.kcl.polling.PollingStats;
import io.dynamotrigger.listener.TriggerRegistry;
import io.dynamotrigger.status.TriggerStatus;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Consumer settings of single tables on the local endpoint.
 */
@ExtendWith(LocalDynamoDbExtension.class)
class TableOverridesTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private ReviewsTable fromStart;

	private ReviewsTable fromNow;

	private ApplicationContextRunner runner;

	@BeforeEach
	void createTables(LocalDynamoDb local) {
		this.fromStart = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		this.fromNow = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		this.runner = TestContexts.runner(this.fromStart).withPropertyValues("test.latest-table=" + this.fromNow.name);
	}

	@Test
	void tableStartingAtLatestSkipsWhatWasWrittenBeforeWhileTheOtherReadsFromTrimHorizon() {
		this.fromStart.put("p", "before", 5, "written before the start");
		this.fromNow.put("p", "before", 5, "written before the start");

		this.runner.withUserConfiguration(FromStartTrigger.class, FromNowTrigger.class)
			.withPropertyValues("dynamo-trigger.tables." + this.fromNow.name + ".starting-position=latest")
			.run((context) -> {
				FromStartTrigger fromStart = context.getBean(FromStartTrigger.class);
				FromNowTrigger fromNow = context.getBean(FromNowTrigger.class);
				fromStart.received.awaitUntil("before"::equals, TIMEOUT);
				awaitReading(context.getBean(TriggerRegistry.class).pollingStats(), this.fromNow.name);

				this.fromStart.put("p", "after", 5, "written after the start");
				this.fromNow.put("p", "after", 5, "written after the start");

				assertThat(fromNow.received.awaitUntil("after"::equals, TIMEOUT)).containsExactly("after");
				assertThat(fromStart.received.awaitUntil("after"::equals, TIMEOUT)).containsExactly("before", "after");
			});
	}

	@Test
	void tableLeaseTableShowsInTheStatus() {
		this.runner.withUserConfiguration(FromStartTrigger.class, FromNowTrigger.class)
			.withPropertyValues(TestContexts.PER_TABLE)
			.withPropertyValues("dynamo-trigger.triggers.from-now.auto-startup=false",
					"dynamo-trigger.triggers.from-start.auto-startup=false",
					"dynamo-trigger.tables." + this.fromNow.name + ".lease-table=table-leases")
			.run((context) -> assertThat(context.getBean(TriggerRegistry.class).status())
				.extracting(TriggerStatus::id, TriggerStatus::leaseTable)
				.containsExactly(tuple("from-start", TestContexts.leaseTable(this.fromStart)), tuple("from-now", "table-leases")));
	}

	/**
	 * Waits until the table's shard has been read at least once, so that its LATEST iterator was taken.
	 */
	private static void awaitReading(PollingStats stats, String table) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (stats.shards().stream().anyMatch((shard) -> shard.table().equals(table) && shard.calls() > 0)) {
				return;
			}
			Thread.sleep(20);
		}
		throw new AssertionError("Table " + table + " was not read within " + TIMEOUT);
	}

	static class FromStartTrigger {

		final Received<String> received = new Received<>();

		@DynamoTrigger(table = "${test.table}", id = "from-start")
		void onReview(Review review) {
			this.received.add(review.getReviewId());
		}

	}

	static class FromNowTrigger {

		final Received<String> received = new Received<>();

		@DynamoTrigger(table = "${test.latest-table}", id = "from-now")
		void onReview(Review review) {
			this.received.add(review.getReviewId());
		}

	}

}
