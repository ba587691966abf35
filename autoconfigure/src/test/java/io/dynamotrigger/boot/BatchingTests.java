package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batch triggers get batches of at most their batch size, gathered across reads for up to their batch
 * window, every record once and in stream order, also across a graceful stop.
 */
@ExtendWith(LocalDynamoDbExtension.class)
class BatchingTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	@Test
	void batchSizeSplitsReadsIntoBatchesOfAtMostThatSizeAndDeliversEveryRecordOnceInOrder(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		// Written before the start, so that the first reads bring more records than a batch holds.
		List<String> written = write(table, 0, 1_000);

		TestContexts.runner(table)
			.withPropertyValues("test.batch-size=250")
			.withUserConfiguration(QuarterThousandBatches.class)
			.run((context) -> {
				Batches batches = context.getBean(QuarterThousandBatches.class).batches;
				batches.records.awaitCount(1_000, TIMEOUT);

				assertThat(batches.sizes.all()).allSatisfy((size) -> assertThat(size).isBetween(1, 250)).contains(250);
				assertThat(batches.records.all()).containsExactlyElementsOf(written);
			});
	}

	@Test
	void aBatchPropertyReplacesTheAnnotationsBatchSize(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		List<String> written = write(table, 0, 10);

		TestContexts.runner(table)
			.withPropertyValues("test.batch-size=250", "dynamo-trigger.triggers.quarter-thousand.batch-size=4")
			.withUserConfiguration(QuarterThousandBatches.class)
			.run((context) -> {
				Batches batches = context.getBean(QuarterThousandBatches.class).batches;
				batches.records.awaitCount(10, TIMEOUT);

				assertThat(batches.sizes.all()).allSatisfy((size) -> assertThat(size).isBetween(1, 4)).contains(4);
				assertThat(batches.records.all()).containsExactlyElementsOf(written);
			});
	}

	@Test
	void aBatchWindowGathersTheRecordsOfSeveralReadsIntoFewerLargerBatches(LocalDynamoDb local) throws Exception {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);

		TestContexts.runner(table).withUserConfiguration(WindowedAndPerReadBatches.class).run((context) -> {
			WindowedAndPerReadBatches triggers = context.getBean(WindowedAndPerReadBatches.class);
			List<String> written = new ArrayList<>(write(table, 0, 1));
			triggers.perRead.records.awaitCount(1, TIMEOUT);
			// Slower than the shards are polled (250 ms at rest), so that most reads bring one record.
			for (int i = 1; i <= 12; i++) {
				Thread.sleep(300);
				written.addAll(write(table, i, i + 1));
			}
			triggers.windowed.records.awaitCount(written.size(), TIMEOUT);
			triggers.perRead.records.awaitCount(written.size(), TIMEOUT);

			assertThat(triggers.windowed.records.all()).containsExactlyElementsOf(written);
			assertThat(triggers.perRead.records.all()).containsExactlyElementsOf(written);
			assertThat(triggers.windowed.sizes.all()).hasSizeLessThan(triggers.perRead.sizes.all().size())
				.anySatisfy((size) -> assertThat(size).isGreaterThan(3));
		});
	}

	@Test
	void aGracefulStopDeliversPendingBatchesSoThatARestartLosesAndRepeatsNothing(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		ApplicationContextRunner runner = TestContexts.runner(table)
			.withUserConfiguration(RecordAndLongWindowTriggers.class);
		List<RecordAndLongWindowTriggers> runs = new ArrayList<>();
		List<String> firstWrites = write(table, 0, 20);

		runner.run((context) -> {
			runs.add(context.getBean(RecordAndLongWindowTriggers.class));
			runs.get(0).records.awaitCount(20, TIMEOUT);
			assertThat(runs.get(0).batches.sizes.all()).isEmpty();
		});
		List<String> secondWrites = write(table, 20, 25);
		runner.run((context) -> {
			runs.add(context.getBean(RecordAndLongWindowTriggers.class));
			runs.get(1).records.awaitCount(5, TIMEOUT);
		});

		assertThat(runs.get(0).records.all()).containsExactlyElementsOf(firstWrites);
		assertThat(runs.get(0).batches.sizes.all()).containsExactly(20);
		assertThat(runs.get(0).batches.records.all()).containsExactlyElementsOf(firstWrites);
		assertThat(runs.get(1).records.all()).containsExactlyElementsOf(secondWrites);
		assertThat(runs.get(1).batches.sizes.all()).containsExactly(5);
		assertThat(runs.get(1).batches.records.all()).containsExactlyElementsOf(secondWrites);
	}

	/**
	 * Writes reviews {@code from} to {@code to} (exclusive) one after the other.
	 * @return their review ids, in write order
	 */
	private static List<String> write(ReviewsTable table, int from, int to) {
		List<String> ids = IntStream.range(from, to).mapToObj("r%04d"::formatted).toList();
		ids.forEach((id) -> table.put("p", id, 1, "x"));
		return ids;
	}

	/**
	 * The batches a trigger got: their sizes, and their records' review ids in call order.
	 */
	static final class Batches {

		final Received<Integer> sizes = new Received<>();

		final Received<String> records = new Received<>();

		void add(List<ItemChange<Review>> batch) {
			batch.forEach((change) -> this.records.add(change.keys().get("reviewId").s()));
			this.sizes.add(batch.size());
		}

	}

	static class QuarterThousandBatches {

		final Batches batches = new Batches();

		@DynamoTrigger(table = "${test.table}", id = "quarter-thousand", batchSize = "${test.batch-size}")
		void onBatch(List<ItemChange<Review>> batch) {
			this.batches.add(batch);
		}

	}

	static class WindowedAndPerReadBatches {

		final Batches windowed = new Batches();

		final Batches perRead = new Batches();

		@DynamoTrigger(table = "${test.table}", batchWindow = "2s")
		void onWindow(List<ItemChange<Review>> batch) {
			this.windowed.add(batch);
		}

		@DynamoTrigger(table = "${test.table}")
		void onRead(List<ItemChange<Review>> batch) {
			this.perRead.add(batch);
		}

	}

	static class RecordAndLongWindowTriggers {

		final Received<String> records = new Received<>();

		final Batches batches = new Batches();

		@DynamoTrigger(table = "${test.table}")
		void onRecord(ItemChange<Review> change) {
			this.records.add(change.keys().get("reviewId").s());
		}

		@DynamoTrigger(table = "${test.table}", batchWindow = "5m")
		void onBatch(List<ItemChange<Review>> batch) {
			this.batches.add(batch);
		}

	}

}
