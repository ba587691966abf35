package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several records of one shard at once, on lanes by partition key.
 */
@ExtendWith(LocalDynamoDbExtension.class)
class ConcurrencyTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	private static final int ITEMS = 50;

	private static final int VERSIONS = 40;

	private ReviewsTable table;

	private ApplicationContextRunner runner;

	@BeforeEach
	void createTable(LocalDynamoDb local) {
		this.table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		this.runner = TestContexts.runner(this.table).withPropertyValues("dynamo-trigger.concurrency=4");
	}

	@Test
	void everyChangeIsHandledOnceInItsItemsOrderWhilePartitionKeysAreHandledInParallel() {
		this.runner.withUserConfiguration(VersionTrigger.class).run((context) -> {
			VersionTrigger trigger = context.getBean(VersionTrigger.class);
			for (int version = 0; version < VERSIONS; version++) {
				int v = version;
				IntStream.range(0, ITEMS)
					.forEach((item) -> this.table.put("p" + item, "item-" + item, 1, Integer.toString(v)));
			}

			trigger.total.awaitCount(ITEMS * VERSIONS, TIMEOUT);

			assertThat(trigger.versions).hasSize(ITEMS);
			assertThat(trigger.versions.values()).allSatisfy((versions) -> assertThat(versions)
				.containsExactlyElementsOf(IntStream.range(0, VERSIONS).boxed().toList()));
			assertThat(trigger.total.all()).hasSize(ITEMS * VERSIONS);
			assertThat(trigger.maxInParallel).hasValueGreaterThan(1);
		});
	}

	@Test
	void restartInTheMiddleLosesNothing() {
		this.runner.withUserConfiguration(VersionTrigger.class).run((context) -> {
			IntStream.range(0, 100).forEach((item) -> this.table.put("p", "item-" + item, 1, "0"));
			context.getBean(VersionTrigger.class).total.awaitCount(100, TIMEOUT);
		});
		IntStream.range(0, 100).forEach((item) -> this.table.put("p", "item-" + item, 1, "1"));

		this.runner.withUserConfiguration(VersionTrigger.class).run((context) -> {
			VersionTrigger trigger = context.getBean(VersionTrigger.class);

			trigger.total.awaitCount(100, TIMEOUT);

			assertThat(trigger.versions).hasSize(100);
			assertThat(trigger.versions.values()).allSatisfy((versions) -> assertThat(versions).containsExactly(1));
		});
	}

	@Test
	void batchTriggerOnATableWithLanesGetsEachReadAfterTheLanesInStreamOrder() {
		int versions = 10;
		this.runner.withUserConfiguration(VersionTrigger.class, BatchVersionTrigger.class).run((context) -> {
			VersionTrigger records = context.getBean(VersionTrigger.class);
			BatchVersionTrigger batches = context.getBean(BatchVersionTrigger.class);
			for (int version = 0; version < versions; version++) {
				int v = version;
				IntStream.range(0, ITEMS).forEach((item) -> this.table.put("p", "item-" + item, 1, Integer.toString(v)));
			}

			batches.total.awaitCount(ITEMS * versions, TIMEOUT);
			records.total.awaitCount(ITEMS * versions, TIMEOUT);

			assertThat(batches.total.all()).hasSize(ITEMS * versions);
			assertThat(batches.versions).hasSize(ITEMS);
			assertThat(batches.versions.values()).allSatisfy((received) -> assertThat(received)
				.containsExactlyElementsOf(IntStream.range(0, versions).boxed().toList()));
			assertThat(batches.beforeTheLanes).isEmpty();
		});
	}

	static class VersionTrigger {

		final Map<String, List<Integer>> versions = new ConcurrentHashMap<>();

		final Set<String> sequenceNumbers = ConcurrentHashMap.newKeySet();

		final Received<String> total = new Received<>();

		final AtomicInteger inParallel = new AtomicInteger();

		final AtomicInteger maxInParallel = new AtomicInteger();

		@DynamoTrigger(table = "${test.table}")
		void onReview(ItemChange<Review> change) throws InterruptedException {
			int now = this.inParallel.incrementAndGet();
			this.maxInParallel.accumulateAndGet(now, Math::max);
			try {
				String item = change.keys().get("reviewId").s();
				this.versions.computeIfAbsent(item, (key) -> new CopyOnWriteArrayList<>())
					.add(Integer.parseInt(change.newImage().getText()));
				Thread.sleep(2);
				this.sequenceNumbers.add(change.sequenceNumber());
				this.total.add(item);
			}
			finally {
				this.inParallel.decrementAndGet();
			}
		}

	}

	static class BatchVersionTrigger {

		private final VersionTrigger records;

		final Map<String, List<Integer>> versions = new ConcurrentHashMap<>();

		final Received<String> total = new Received<>();

		final List<String> beforeTheLanes = new CopyOnWriteArrayList<>();

		BatchVersionTrigger(VersionTrigger records) {
			this.records = records;
		}

		@DynamoTrigger(table = "${test.table}")
		void onReviews(List<ItemChange<Review>> changes) {
			for (ItemChange<Review> change : changes) {
				if (!this.records.sequenceNumbers.contains(change.sequenceNumber())) {
					this.beforeTheLanes.add(change.sequenceNumber());
				}
				String item = change.keys().get("reviewId").s();
				this.versions.computeIfAbsent(item, (key) -> new CopyOnWriteArrayList<>())
					.add(Integer.parseInt(change.newImage().getText()));
				this.total.add(item);
			}
		}

	}

}
