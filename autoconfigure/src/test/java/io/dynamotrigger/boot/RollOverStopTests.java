package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbTest;
import io.dynamotrigger.test.LocalDynamoDbTest.Topology;
import io.dynamotrigger.test.StreamTopology.RollOver;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping the application while shards split (every 20 records, 4 shards to start with) and changes are
 * written, then starting it again: KCL's graceful stop can hang when it overlaps a roll-over (KCL issue
 * 542), and the consumer's stop then ends at its shutdown timeout (3 seconds here).
 */
@LocalDynamoDbTest(topology = @Topology(shards = 4, rollOverAfterRecords = 20, rollOver = RollOver.SPLIT))
class RollOverStopTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	private static final int ITEMS = 20;

	private static final int VERSIONS = 20;

	@Test
	void stopDuringRollOversAndRestartLosesNothingAndKeepsItemOrder(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		ApplicationContextRunner runner = TestContexts.runner(table)
			.withPropertyValues("dynamo-trigger.shutdown-timeout=3s")
			.withUserConfiguration(VersionTrigger.class);
		CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
			for (int version = 0; version < VERSIONS; version++) {
				for (int item = 0; item < ITEMS; item++) {
					table.put("item-" + item, "r", version, Integer.toString(version));
				}
			}
		});
		List<Received<Change>> runs = new ArrayList<>();
		long[] stopMillis = new long[1];
		runner.run((context) -> {
			runs.add(context.getBean(VersionTrigger.class).received);
			VersionTrigger trigger = context.getBean(VersionTrigger.class);
			trigger.received.awaitCount(ITEMS * VERSIONS / 3, TIMEOUT);
			stopMillis[0] = System.nanoTime();
		});
		stopMillis[0] = (System.nanoTime() - stopMillis[0]) / 1_000_000;
		writer.join();
		// Read after the context closed: records in progress at the stop finish during it.
		List<Change> beforeStop = runs.get(0).all();
		runner.run((context) -> {
			Received<Change> received = context.getBean(VersionTrigger.class).received;
			runs.add(received);
			received.awaitUntil((change) -> handledAll(beforeStop, received.all()), TIMEOUT);
		});
		List<Change> afterRestart = runs.get(1).all();

		List<Change> all = new ArrayList<>(beforeStop);
		all.addAll(afterRestart);
		System.out.printf("stop during roll-overs: %d handled before the stop, %d after, %d distinct of %d,"
				+ " stop took %d ms%n", beforeStop.size(), afterRestart.size(), all.stream().distinct().count(),
				ITEMS * VERSIONS, stopMillis[0]);
		assertThat(all.stream().distinct().count()).isEqualTo(ITEMS * VERSIONS);
		assertThat(versionsByItem(beforeStop)).allSatisfy((item, versions) -> assertThat(versions).isSorted());
		assertThat(versionsByItem(afterRestart)).allSatisfy((item, versions) -> assertThat(versions).isSorted());
	}

	private static boolean handledAll(List<Change> before, List<Change> after) {
		return before.size() + after.size() >= ITEMS * VERSIONS && Stream.concat(before.stream(),
				after.stream()).distinct().count() == ITEMS * VERSIONS;
	}

	private static Map<String, List<Integer>> versionsByItem(List<Change> changes) {
		return changes.stream()
			.collect(Collectors.groupingBy(Change::item, Collectors.mapping(Change::version, Collectors.toList())));
	}

	record Change(String item, int version) {

	}

	static class VersionTrigger {

		final Received<Change> received = new Received<>();

		@DynamoTrigger(table = "${test.table}")
		void onChange(ItemChange<Review> change) throws InterruptedException {
			// A little time per change, so that the stop finds records in progress.
			Thread.sleep(2);
			this.received.add(new Change(change.keys().get("productId").s(),
					Integer.parseInt(change.newImage().getText())));
		}

	}

}
