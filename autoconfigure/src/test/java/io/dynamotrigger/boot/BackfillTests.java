package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.TriggerContext;
import io.dynamotrigger.backfill.BackfillProgress;
import io.dynamotrigger.listener.TriggerRegistry;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbTest;
import io.dynamotrigger.test.LocalDynamoDbTest.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Backfills against the local endpoint with two shards per stream: items written before the application
 * starts come from the scan, changes during the scan from the stream after it, with duplicates only for the
 * items changed during the scan; two instances scan once; a restart in the middle of the scan resumes from the
 * segments' progress. The scan is slowed down (items per second) so that it is still running when the tests
 * write to the table or stop an instance.
 */
@LocalDynamoDbTest(topology = @Topology(shards = 2))
class BackfillTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	/** Longer than the seam margin of 1 s: the stream records of the items written before are covered. */
	private static final Duration BEFORE_START = Duration.ofMillis(1500);

	private static ApplicationContextRunner runner(ReviewsTable table, int itemsPerSecond, int pageSize) {
		return TestContexts.runner(table)
			.withUserConfiguration(Meters.class, Summary.class)
			.withPropertyValues("dynamo-trigger.backfill.segments=4",
					"dynamo-trigger.backfill.page-size=" + pageSize,
					"dynamo-trigger.backfill.items-per-second=" + itemsPerSecond,
					"dynamo-trigger.backfill.seam-margin=1s");
	}

	@Test
	void itemsBeforeTheStartAndChangesDuringTheScanEndInASummaryEqualToARecomputation(LocalDynamoDb local)
			throws InterruptedException {
		backfillWithChangesDuringTheScan(local);
	}

	@Test
	void perTableKclApplicationsBackfillAlike(LocalDynamoDb local) throws InterruptedException {
		backfillWithChangesDuringTheScan(local, TestContexts.PER_TABLE);
	}

	private void backfillWithChangesDuringTheScan(LocalDynamoDb local, String... mode) throws InterruptedException {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		List<String> before = products("p", 120);
		table.putEach(before, "r", 3, "before");
		Thread.sleep(BEFORE_START.toMillis());
		runner(table, 40, 10).withPropertyValues(mode).run((context) -> {
			TriggerRegistry registry = context.getBean(TriggerRegistry.class);
			awaitProgress(registry, (progress) -> progress.phase() == BackfillProgress.Phase.SCANNING
					&& progress.itemsScanned() >= 10);
			IntStream.range(0, 10).forEach((i) -> table.put("p" + i, "r", 5, "changed during the scan"));
			IntStream.range(0, 10).forEach((i) -> table.put("new" + i, "r", 4, "written during the scan"));
			table.remove("p119", "r");
			assertThat(progress(registry).phase()).as("still scanning after the writes")
				.isEqualTo(BackfillProgress.Phase.SCANNING);
			Set<String> changedDuringScan = keys(Stream
				.concat(IntStream.range(0, 10).boxed().flatMap((i) -> Stream.of("p" + i, "new" + i)), Stream.of("p119"))
				.toList());

			BackfillProgress done = awaitProgress(registry, (progress) -> progress.phase() == BackfillProgress.Phase.DONE);
			Summary summary = context.getBean(Summary.class);
			// The stream's changes come after the scan: the last of them, the removal, ends the test's writes.
			summary.received.awaitUntil((delivery) -> delivery.type() == EventType.REMOVE, TIMEOUT);
			summary.received.awaitUntil((delivery) -> !delivery.backfill() && delivery.key().equals("new9/r"), TIMEOUT);
			List<Delivery> deliveries = summary.received.all();

			assertThat(deliveries).as("TriggerContext.isBackfill() agrees with ItemChange.isBackfill()")
				.allMatch((delivery) -> delivery.backfill() == delivery.contextBackfill());
			assertThat(summarize(deliveries)).as("summary from the deliveries").isEqualTo(recompute(table));
			Map<String, Long> perKey = deliveries.stream()
				.collect(Collectors.groupingBy(Delivery::key, Collectors.counting()));
			assertThat(perKey.keySet()).as("every item delivered").containsAll(recompute(table).keySet());
			Set<String> duplicated = perKey.entrySet()
				.stream()
				.filter((entry) -> entry.getValue() > 1)
				.map(Map.Entry::getKey)
				.collect(Collectors.toSet());
			assertThat(changedDuringScan).as("items delivered more than once were changed during the scan")
				.containsAll(duplicated);
			assertThat(deliveries).filteredOn((delivery) -> !changedDuringScan.contains(delivery.key()))
				.as("items not changed during the scan: once each, from the scan")
				.hasSize(before.size() - 10 - 1)
				.allMatch(Delivery::backfill);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("dynamo.trigger.backfill.covered").counter().count())
				.as("stream records of the items written before the start, passed over")
				.isEqualTo(before.size());
			assertThat(done.itemsScanned()).isBetween((long) before.size() - 1, (long) before.size() + 10);
			assertThat(meters.get("dynamo.trigger.backfill.items").counter().count())
				.isEqualTo((double) done.itemsScanned());
			assertThat(meters.get("dynamo.trigger.backfill.segments.done").gauge().value()).isEqualTo(4);
		});
	}

	@Test
	void twoInstancesScanOnceAndBothGoOnWithTheStreamAfterIt(LocalDynamoDb local) throws InterruptedException {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		List<String> before = products("p", 60);
		table.putEach(before, "r", 3, "before");
		Thread.sleep(BEFORE_START.toMillis());
		ApplicationContextRunner runner = runner(table, 20, 5);
		runner.run((first) -> runner.run((second) -> {
			TriggerRegistry one = first.getBean(TriggerRegistry.class);
			TriggerRegistry other = second.getBean(TriggerRegistry.class);
			BackfillProgress oneDone = awaitProgress(one, (progress) -> progress.phase() == BackfillProgress.Phase.DONE);
			BackfillProgress otherDone = awaitProgress(other,
					(progress) -> progress.phase() == BackfillProgress.Phase.DONE);
			table.put("after", "r", 1, "after the backfill");
			List<Delivery> afterwards = awaitDelivered(List.of(first, second), "after/r");

			assertThat(List.of(oneDone.itemsScanned(), otherDone.itemsScanned())).as("items scanned by each instance")
				.containsExactlyInAnyOrder(0L, (long) before.size());
			assertThat(afterwards).filteredOn(Delivery::backfill)
				.extracting(Delivery::key)
				.as("scanned items delivered across both instances")
				.hasSize(before.size())
				.containsExactlyInAnyOrderElementsOf(keys(before));
			assertThat(afterwards).filteredOn((delivery) -> !delivery.backfill())
				.extracting(Delivery::key)
				.as("stream records delivered: only the change after the backfill")
				.containsExactly("after/r");
			assertThat(oneDone.scanStartedAt()).isEqualTo(otherDone.scanStartedAt());
		}));
	}

	@Test
	void aRestartInTheMiddleOfTheScanResumesFromTheSegmentsProgress(LocalDynamoDb local) throws InterruptedException {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		List<String> before = products("p", 100);
		table.putEach(before, "r", 3, "before");
		Thread.sleep(BEFORE_START.toMillis());
		int pageSize = 5;
		ApplicationContextRunner runner = runner(table, 20, pageSize);
		AtomicReference<Summary> firstInstance = new AtomicReference<>();
		AtomicReference<Summary> secondInstance = new AtomicReference<>();
		AtomicLong scannedAfterRestart = new AtomicLong();
		runner.run((context) -> {
			BackfillProgress halfway = awaitProgress(context.getBean(TriggerRegistry.class),
					(progress) -> progress.itemsScanned() >= 40);
			assertThat(halfway.phase()).isEqualTo(BackfillProgress.Phase.SCANNING);
			firstInstance.set(context.getBean(Summary.class));
		});
		runner.run((context) -> {
			BackfillProgress done = awaitProgress(context.getBean(TriggerRegistry.class),
					(progress) -> progress.phase() == BackfillProgress.Phase.DONE);
			scannedAfterRestart.set(done.itemsScanned());
			secondInstance.set(context.getBean(Summary.class));
		});
		List<Delivery> beforeRestart = firstInstance.get().received.all();
		List<Delivery> deliveries = Stream.concat(beforeRestart.stream(), secondInstance.get().received.all().stream())
			.toList();
		// The first instance stops in the pages in progress, at most one per segment, which the second reads again.
		assertThat(scannedAfterRestart.get()).as("items scanned after the restart")
			.isLessThanOrEqualTo(before.size() - beforeRestart.size() + 4L * pageSize)
			.isLessThan(before.size());
		assertThat(deliveries).filteredOn(Delivery::backfill)
			.extracting(Delivery::key)
			.as("every item delivered from the scan")
			.containsAll(keys(before));
		assertThat(deliveries).as("no stream record: all were written before the scan").allMatch(Delivery::backfill);
	}

	@Test
	void anInstanceTakesTheScanOverWhenTheLockOfOneThatDiedExpires(LocalDynamoDb local) throws InterruptedException {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		List<String> before = products("p", 40);
		table.putEach(before, "r", 3, "before");
		Thread.sleep(BEFORE_START.toMillis());
		// What an instance killed in the middle of its scan leaves: the state item with its lock, which it no
		// longer renews, in the state table named after the consumer's lease table.
		String stateTable = TestContexts.leaseTable(table) + "-Backfill";
		table.client.createTable((create) -> create.tableName(stateTable)
			.billingMode(BillingMode.PAY_PER_REQUEST)
			.attributeDefinitions((id) -> id.attributeName("id").attributeType(ScalarAttributeType.S))
			.keySchema((id) -> id.attributeName("id").keyType(KeyType.HASH)));
		long scanStartedAt = System.currentTimeMillis();
		long lockExpiresAt = scanStartedAt + 8000;
		table.client.putItem((put) -> put.tableName(stateTable)
			.item(Map.of("id", AttributeValue.fromS("summary"), "status", AttributeValue.fromS("SCANNING"),
					"scanStartedAt", AttributeValue.fromN(Long.toString(scanStartedAt)), "segments",
					AttributeValue.fromN("4"), "lockOwner", AttributeValue.fromS("killed"), "lockExpiresAt",
					AttributeValue.fromN(Long.toString(lockExpiresAt)))));

		runner(table, 0, 100).run((context) -> {
			TriggerRegistry registry = context.getBean(TriggerRegistry.class);
			Summary summary = context.getBean(Summary.class);
			BackfillProgress read = awaitProgress(registry, (progress) -> progress.scanStartedAt() != null);
			long readAt = System.currentTimeMillis();
			Thread.sleep(Math.max(0, lockExpiresAt - 500 - readAt));
			BackfillProgress waiting = progress(registry);
			List<Delivery> whileLocked = summary.received.all();
			BackfillProgress done = awaitProgress(registry, (progress) -> progress.phase() == BackfillProgress.Phase.DONE);
			long doneAt = System.currentTimeMillis();

			assertThat(readAt).as("the state read before the lock expires").isLessThan(lockExpiresAt - 500);
			assertThat(read.scanStartedAt().toEpochMilli()).as("the scan's start, read").isEqualTo(scanStartedAt);
			assertThat(waiting.phase()).as("half a second before the dead instance's lock expires")
				.isEqualTo(BackfillProgress.Phase.WAITING);
			assertThat(waiting.itemsScanned()).isZero();
			assertThat(whileLocked).as("delivered while the lock lasted").isEmpty();
			assertThat(doneAt).as("done after the lock expired").isGreaterThan(lockExpiresAt);
			assertThat(done.itemsScanned()).isEqualTo(before.size());
			assertThat(summary.received.all()).extracting(Delivery::key)
				.containsExactlyInAnyOrderElementsOf(keys(before));
		});
	}

	@Test
	void aBackfillOnATableReadFromLatestFailsTheStartNamingTheProperty(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		runner(table, 0, 100).withPropertyValues("dynamo-trigger.starting-position=latest")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("Trigger 'summary' asks for a backfill, but table " + table.name
						+ " is read from starting position LATEST")
				.hasMessageContaining("set dynamo-trigger.tables." + table.name + ".starting-position=TRIM_HORIZON"));
	}

	@Test
	void aBackfillSettingOutOfRangeFailsTheStartNamingTheProperty(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		runner(table, 0, 100).withPropertyValues("dynamo-trigger.backfill.segments=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessage("dynamo-trigger.backfill.segments is 0; set it to a number between 1 and 1000."));
	}

	@Test
	void thePropertyTurnsTheAnnotationsBackfillOff(LocalDynamoDb local) throws InterruptedException {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		table.put("before", "r", 2, "before");
		runner(table, 0, 100).withPropertyValues("dynamo-trigger.triggers.summary.backfill=false").run((context) -> {
			List<Delivery> delivered = context.getBean(Summary.class).received.awaitCount(1, TIMEOUT);

			assertThat(delivered).extracting(Delivery::key, Delivery::backfill).containsExactly(tuple("before/r", false));
			assertThat(context.getBean(TriggerRegistry.class).backfillProgress()).isEmpty();
		});
	}

	private static List<String> products(String prefix, int count) {
		return IntStream.range(0, count).mapToObj((i) -> prefix + i).toList();
	}

	private static Set<String> keys(List<String> productIds) {
		return productIds.stream().map((productId) -> productId + "/r").collect(Collectors.toSet());
	}

	private static BackfillProgress progress(TriggerRegistry registry) {
		return registry.backfillProgress().get("summary");
	}

	static BackfillProgress awaitProgress(TriggerRegistry registry, Predicate<BackfillProgress> reached)
			throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			BackfillProgress progress = progress(registry);
			if (progress != null && reached.test(progress)) {
				return progress;
			}
			Thread.sleep(20);
		}
		return fail("Backfill progress not reached within " + TIMEOUT + ": " + progress(registry));
	}

	private static List<Delivery> awaitDelivered(List<ApplicationContext> contexts, String key)
			throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			List<Delivery> all = contexts.stream()
				.flatMap((context) -> context.getBean(Summary.class).received.all().stream())
				.toList();
			if (all.stream().anyMatch((delivery) -> delivery.key().equals(key))) {
				return all;
			}
			Thread.sleep(20);
		}
		return fail(key + " not delivered within " + TIMEOUT);
	}

	/**
	 * The rating of each review, from the deliveries in the order they came.
	 */
	private static Map<String, Integer> summarize(List<Delivery> deliveries) {
		Map<String, Integer> ratings = new HashMap<>();
		for (Delivery delivery : deliveries) {
			if (delivery.type() == EventType.REMOVE) {
				ratings.remove(delivery.key());
			}
			else {
				ratings.put(delivery.key(), delivery.rating());
			}
		}
		return ratings;
	}

	/**
	 * The rating of each review, from the table.
	 */
	private static Map<String, Integer> recompute(ReviewsTable table) {
		Map<String, Integer> ratings = new HashMap<>();
		table.client.scanPaginator((scan) -> scan.tableName(table.name).consistentRead(true))
			.items()
			.forEach((item) -> ratings.put(key(item), Integer.valueOf(item.get("rating").n())));
		return ratings;
	}

	private static String key(Map<String, AttributeValue> item) {
		return item.get("productId").s() + "/" + item.get("reviewId").s();
	}

	record Delivery(String key, boolean backfill, boolean contextBackfill, EventType type, Integer rating) {
	}

	static class Summary {

		final Received<Delivery> received = new Received<>();

		@DynamoTrigger(table = "${test.table}", id = "summary", backfill = "true")
		void onReview(ItemChange<Review> change, TriggerContext context) {
			Review review = (change.newImage() != null) ? change.newImage() : change.oldImage();
			this.received.add(new Delivery(review.getProductId() + "/" + review.getReviewId(), change.isBackfill(),
					context.isBackfill(), change.eventType(), review.getRating()));
		}

	}

}
