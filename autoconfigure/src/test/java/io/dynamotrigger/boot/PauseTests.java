package io.dynamotrigger.boot;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.listener.TriggerRegistry;
import io.dynamotrigger.status.PauseStatus;
import io.dynamotrigger.status.ShardStatus;
import io.dynamotrigger.status.TriggerState;
import io.dynamotrigger.status.TriggerStatus;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbExtension;
import io.dynamotrigger.test.StreamTopology;
import io.dynamotrigger.test.StreamTopology.RollOver;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Pausing one of two triggers of a table, on the local endpoint with real KCL: the other goes on, the paused
 * one's records are held (and the checkpoint before them) and delivered in order on resume; a full held span
 * makes the shard wait; a restart while paused delivers the held records again.
 */
@ExtendWith(LocalDynamoDbExtension.class)
class PauseTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	private ReviewsTable table;

	private ApplicationContextRunner runner;

	@BeforeEach
	void createTable(LocalDynamoDb local) {
		this.table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		this.runner = TestContexts.runner(this.table)
			.withConfiguration(AutoConfigurations.of(DynamoTriggerActuatorAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=dynamotriggers")
			.withUserConfiguration(Archive.class, Notify.class);
	}

	@Test
	void pausingOneTriggerThroughTheEndpointKeepsTheOtherGoingAndResumeDeliversEveryHeldRecordInOrder() {
		this.runner.run((context) -> {
			DynamoTriggersEndpoint endpoint = context.getBean(DynamoTriggersEndpoint.class);
			TriggerRegistry registry = context.getBean(TriggerRegistry.class);
			Archive archive = context.getBean(Archive.class);
			Notify notify = context.getBean(Notify.class);
			this.table.put("p", "r0", 3, "x");
			archive.received.awaitUntil("r0"::equals, TIMEOUT);
			notify.received.awaitUntil("r0"::equals, TIMEOUT);
			String checkpointBefore = awaitCheckpoint(registry, archive.sequenceNumbers.get("r0"));

			Map<String, Object> paused = endpoint.change("archive", "pause");
			IntStream.rangeClosed(1, 5).forEach((i) -> this.table.put("p", "r" + i, 3, "x"));
			List<String> notifiedWhilePaused = notify.received.awaitUntil("r5"::equals, TIMEOUT);
			List<String> archivedWhilePaused = archive.received.all();
			PauseStatus held = awaitPause(registry, (pause) -> pause.heldRecords() == 5);
			String checkpointWhilePaused = shard(registry).lastCheckpoint();
			Map<String, Object> listedWhilePaused = describe(endpoint, "archive");
			Map<String, Object> otherWhilePaused = describe(endpoint, "notify");
			Map<String, Object> resumed = endpoint.change("archive", "resume");
			List<String> archivedAfterResume = archive.received.awaitUntil("r5"::equals, TIMEOUT);
			String checkpointAfterResume = awaitCheckpoint(registry, notify.sequenceNumbers.get("r5"));

			assertThat(paused).containsEntry("state", TriggerState.PAUSED);
			assertThat(notifiedWhilePaused).containsExactly("r0", "r1", "r2", "r3", "r4", "r5");
			assertThat(archivedWhilePaused).containsExactly("r0");
			assertThat(held).isEqualTo(new PauseStatus(true, 5, 0, 10_000));
			assertThat(listedWhilePaused.get("pause")).isEqualTo(held);
			assertThat(otherWhilePaused).containsEntry("state", TriggerState.RUNNING).doesNotContainKey("pause");
			assertThat(checkpointWhilePaused).isEqualTo(checkpointBefore);
			assertThat(resumed).containsEntry("state", TriggerState.RUNNING);
			assertThat(archivedAfterResume).containsExactly("r0", "r1", "r2", "r3", "r4", "r5");
			assertThat(archive.sequenceNumbers).isEqualTo(notify.sequenceNumbers);
			assertThat(checkpointAfterResume).isEqualTo(notify.sequenceNumbers.get("r5"));
		});
	}

	@Test
	void aShardWhoseHeldSpanIsFullWaitsForEveryTriggerAndReadsOnAfterTheResume() {
		this.runner.withUserConfiguration(Meters.class)
			.withPropertyValues("dynamo-trigger.pause.max-held-records=3")
			.run((context) -> {
				TriggerRegistry registry = context.getBean(TriggerRegistry.class);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				Archive archive = context.getBean(Archive.class);
				Notify notify = context.getBean(Notify.class);
				registry.pause("archive");
				IntStream.rangeClosed(1, 3).forEach((i) -> this.table.put("p", "r" + i, 3, "x"));
				notify.received.awaitUntil("r3"::equals, TIMEOUT);

				this.table.put("p", "r4", 3, "x");
				PauseStatus waiting = awaitPause(registry, (pause) -> pause.waitingShards() == 1);
				double waitingGauge = meters.get("dynamo.trigger.held.waiting").tag("trigger", "archive").gauge().value();
				double heldGauge = meters.get("dynamo.trigger.held").tag("trigger", "archive").gauge().value();
				Thread.sleep(2_000);
				List<String> notifiedWhileWaiting = notify.received.all();
				List<String> archivedWhileWaiting = archive.received.all();
				registry.resume("archive");

				assertThat(waiting).isEqualTo(new PauseStatus(true, 3, 1, 3));
				assertThat(waitingGauge).isEqualTo(1);
				assertThat(heldGauge).isEqualTo(3);
				assertThat(notifiedWhileWaiting).containsExactly("r1", "r2", "r3");
				assertThat(archivedWhileWaiting).isEmpty();
				assertThat(archive.received.awaitUntil("r4"::equals, TIMEOUT)).containsExactly("r1", "r2", "r3", "r4");
				assertThat(notify.received.awaitUntil("r4"::equals, TIMEOUT)).containsExactly("r1", "r2", "r3", "r4");
				assertThat(awaitPause(registry, (pause) -> !pause.paused() && pause.waitingShards() == 0)).isNull();
			});
	}

	@Test
	void aRestartWhilePausedDeliversTheHeldRecordsAgainToEveryTriggerAndLosesNone() {
		List<String> notifiedFirst = new ArrayList<>();
		List<String> archivedFirst = new ArrayList<>();
		this.runner.run((context) -> {
			TriggerRegistry registry = context.getBean(TriggerRegistry.class);
			Archive archive = context.getBean(Archive.class);
			Notify notify = context.getBean(Notify.class);
			this.table.put("p", "r0", 3, "x");
			archive.received.awaitUntil("r0"::equals, TIMEOUT);
			awaitCheckpoint(registry, archive.sequenceNumbers.get("r0"));
			registry.pause("archive");
			IntStream.rangeClosed(1, 3).forEach((i) -> this.table.put("p", "r" + i, 3, "x"));
			notifiedFirst.addAll(notify.received.awaitUntil("r3"::equals, TIMEOUT));
			archivedFirst.addAll(archive.received.all());
		});

		this.runner.run((context) -> {
			Archive archive = context.getBean(Archive.class);
			Notify notify = context.getBean(Notify.class);

			assertThat(archive.received.awaitUntil("r3"::equals, TIMEOUT)).containsExactly("r1", "r2", "r3");
			assertThat(notify.received.awaitUntil("r3"::equals, TIMEOUT)).containsExactly("r1", "r2", "r3");
		});
		assertThat(notifiedFirst).containsExactly("r0", "r1", "r2", "r3");
		assertThat(archivedFirst).containsExactly("r0");
	}

	@Test
	void inPerTableKclApplicationsPausingOneTriggerKeepsTheOtherGoing() {
		this.runner.withPropertyValues(TestContexts.PER_TABLE).run((context) -> {
			TriggerRegistry registry = context.getBean(TriggerRegistry.class);
			Archive archive = context.getBean(Archive.class);
			Notify notify = context.getBean(Notify.class);
			registry.pause("archive");
			IntStream.rangeClosed(1, 3).forEach((i) -> this.table.put("p", "r" + i, 3, "x"));
			List<String> notifiedWhilePaused = notify.received.awaitUntil("r3"::equals, TIMEOUT);
			List<String> archivedWhilePaused = archive.received.all();
			registry.resume("archive");

			assertThat(notifiedWhilePaused).containsExactly("r1", "r2", "r3");
			assertThat(archivedWhilePaused).isEmpty();
			assertThat(archive.received.awaitUntil("r3"::equals, TIMEOUT)).containsExactly("r1", "r2", "r3");
		});
	}

	@Test
	void aPausedBatchTriggerGetsWhatItsShardHeldAfterItsResumeWhileAPerRecordTriggerOnLanesGoesOn() {
		this.runner.withUserConfiguration(BatchArchive.class)
			.withPropertyValues("dynamo-trigger.concurrency=4")
			.run((context) -> {
				TriggerRegistry registry = context.getBean(TriggerRegistry.class);
				BatchArchive batches = context.getBean(BatchArchive.class);
				Notify notify = context.getBean(Notify.class);
				registry.pause("batch-archive");
				List<String> products = List.of("a", "b", "c", "d");
				for (int version = 0; version < 3; version++) {
					int v = version;
					products.forEach((product) -> this.table.put(product, "r", v, Integer.toString(v)));
				}
				notify.received.awaitCount(12, TIMEOUT);
				List<List<String>> batchesWhilePaused = List.copyOf(batches.batches);
				PauseStatus held = awaitPause(registry, "batch-archive", (pause) -> pause.heldRecords() == 12);
				registry.resume("batch-archive");
				List<String> delivered = awaitBatchRecords(batches, 12);

				assertThat(batchesWhilePaused).isEmpty();
				assertThat(held.heldRecords()).isEqualTo(12);
				assertThat(delivered).hasSize(12);
				assertThat(delivered).isSortedAccordingTo(PauseTests::bySequenceNumber);
			});
	}

	@Test
	void aShardThatEndsWhileATriggerIsPausedIsCheckpointedAtItsEndOnlyAfterTheResume() throws Exception {
		StreamTopology topology = StreamTopology.builder()
			.shards(1)
			.rollOverAfterRecords(5)
			.rollOver(RollOver.ONE_CHILD)
			.build();
		try (LocalDynamoDb local = LocalDynamoDb.start(topology); StreamShapes shapes = new StreamShapes(local)) {
			ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
			TestContexts.runner(table)
				.withPropertyValues("dynamo-trigger.aws.endpoint=" + local.endpoint(),
						"dynamo-trigger.aws.region=" + local.region())
				.withUserConfiguration(Archive.class, Notify.class)
				.run((context) -> {
					TriggerRegistry registry = context.getBean(TriggerRegistry.class);
					Archive archive = context.getBean(Archive.class);
					Notify notify = context.getBean(Notify.class);
					registry.pause("archive");
					IntStream.rangeClosed(1, 8).forEach((i) -> table.put("p", "r" + i, 3, "x"));
					List<String> notifiedFromTheParent = notify.received.awaitUntil("r5"::equals, TIMEOUT);
					Thread.sleep(3_000);
					List<String> notifiedWhilePaused = notify.received.all();
					String parent = shapes.closedShards(shapes.streamArn(table.name)).get(0);
					String parentCheckpointWhilePaused = shapes.checkpoints(TestContexts.leaseTable(table)).get(parent);
					registry.resume("archive");

					assertThat(notifiedFromTheParent).containsExactly("r1", "r2", "r3", "r4", "r5");
					assertThat(notifiedWhilePaused).containsExactly("r1", "r2", "r3", "r4", "r5");
					assertThat(parentCheckpointWhilePaused).isNotEqualTo("SHARD_END");
					assertThat(archive.received.awaitUntil("r8"::equals, TIMEOUT)).containsExactly("r1", "r2", "r3",
							"r4", "r5", "r6", "r7", "r8");
					assertThat(notify.received.awaitUntil("r8"::equals, TIMEOUT)).containsExactly("r1", "r2", "r3",
							"r4", "r5", "r6", "r7", "r8");
					assertThat(shapes.checkpoints(TestContexts.leaseTable(table))).containsEntry(parent, "SHARD_END");
				});
		}
	}

	private static int bySequenceNumber(String a, String b) {
		return new BigInteger(a).compareTo(new BigInteger(b));
	}

	private static List<String> awaitBatchRecords(BatchArchive batches, int count) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		List<String> all = List.of();
		while (System.nanoTime() < deadline) {
			all = batches.batches.stream().flatMap(List::stream).toList();
			if (all.size() >= count) {
				return all;
			}
			Thread.sleep(50);
		}
		return fail("Expected " + count + " records in batches within " + TIMEOUT + "; got " + all);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> describe(DynamoTriggersEndpoint endpoint, String id) {
		return (Map<String, Object>) endpoint.triggers().get(id);
	}

	private static ShardStatus shard(TriggerRegistry registry) {
		List<ShardStatus> shards = status(registry, "archive").shards();
		assertThat(shards).hasSize(1);
		return shards.get(0);
	}

	private static TriggerStatus status(TriggerRegistry registry, String id) {
		return registry.status().stream().filter((status) -> status.id().equals(id)).findFirst().orElseThrow();
	}

	/**
	 * Waits until the shard is checkpointed at the given sequence number.
	 */
	private static String awaitCheckpoint(TriggerRegistry registry, String sequenceNumber)
			throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		String checkpoint = null;
		while (System.nanoTime() < deadline) {
			List<ShardStatus> shards = status(registry, "archive").shards();
			checkpoint = shards.isEmpty() ? null : shards.get(0).lastCheckpoint();
			if (sequenceNumber.equals(checkpoint)) {
				return checkpoint;
			}
			Thread.sleep(50);
		}
		return fail("Checkpoint " + checkpoint + " did not reach " + sequenceNumber + " within " + TIMEOUT);
	}

	/**
	 * Waits until the paused trigger's pause status matches, then returns it ({@code null} once it is gone).
	 */
	private static PauseStatus awaitPause(TriggerRegistry registry, Predicate<PauseStatus> condition)
			throws InterruptedException {
		return awaitPause(registry, "archive", condition);
	}

	private static PauseStatus awaitPause(TriggerRegistry registry, String id, Predicate<PauseStatus> condition)
			throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		PauseStatus pause = null;
		while (System.nanoTime() < deadline) {
			pause = status(registry, id).pause();
			if (pause == null || condition.test(pause)) {
				return pause;
			}
			Thread.sleep(50);
		}
		return fail("Pause status " + pause + " did not match within " + TIMEOUT);
	}

	/**
	 * The trigger that is paused.
	 */
	static class Archive {

		final Received<String> received = new Received<>();

		final Map<String, String> sequenceNumbers = new ConcurrentHashMap<>();

		@DynamoTrigger(table = "${test.table}", id = "archive")
		void onReview(ItemChange<Review> change) {
			String id = change.keys().get("reviewId").s();
			this.sequenceNumbers.put(id, change.sequenceNumber());
			this.received.add(id);
		}

	}

	/**
	 * A batch trigger that is paused, taking the records of a few reads in one call.
	 */
	static class BatchArchive {

		final List<List<String>> batches = new CopyOnWriteArrayList<>();

		@DynamoTrigger(table = "${test.table}", id = "batch-archive", batchSize = "5")
		void onReviews(List<ItemChange<Review>> changes) {
			this.batches.add(changes.stream().map(ItemChange::sequenceNumber).toList());
		}

	}

	/**
	 * The other trigger of the table.
	 */
	static class Notify {

		final Received<String> received = new Received<>();

		final Map<String, String> sequenceNumbers = new ConcurrentHashMap<>();

		@DynamoTrigger(table = "${test.table}", id = "notify")
		void onReview(ItemChange<Review> change) {
			String id = change.keys().get("reviewId").s();
			this.sequenceNumbers.put(id, change.sequenceNumber());
			this.received.add(id);
		}

	}

}
