package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.TriggerContext;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.StreamTopology;
import io.dynamotrigger.test.StreamTopology.RollOver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consumer on streams shaped as the service's: 8 shards that close every 100 records and go on in one
 * child or split in two, while the changes are written. Each test starts an endpoint of its own.
 *
 * <p>The normal suite writes 1,000 changes over 100 items, 25 to a BatchWriteItem call (the local endpoint
 * writes one change a call several times slower while 8 to 16 shards are polled, and the writing was most
 * of the run). Each shard closes about once, as with 2,000 changes closing every 200 (7 closed shards
 * either way); {@code -Ddynamo-trigger.shapes.changes=5000} runs the full size, with more roll-overs.
 */
class ShardLineageTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(180);

	private static final int ITEMS = 100;

	private static final int CHANGES = Integer.getInteger("dynamo-trigger.shapes.changes", 1_000);

	private static final int ROLL_OVER_AFTER_RECORDS = 100;

	/**
	 * Split shards read by the shared KCL application (the default, KCL's multi-stream mode), whose shards are read
	 * and processed on the application's pool; a shard's end creates its children's leases in the multi-stream form
	 * (see {@code ChildLeasesConfig}).
	 */
	@Nested
	@TestInstance(Lifecycle.PER_CLASS)
	@ExtendWith(OutputCaptureExtension.class)
	class Splitting extends LineageChecks {

		private String output;

		@BeforeAll
		void consume(CapturedOutput output) {
			this.run = ShardLineageTests.consume(RollOver.SPLIT);
			this.output = output.toString();
		}

		/**
		 * With the adapter's own shard syncer, each shard's end failed (and was tried again) until KCL's shard
		 * sync created the children's leases: 205 such ERRORs in one run, and 74 s instead of 23 s.
		 */
		@Test
		void eachShardEndCreatesTheLeasesOfItsChildren() {
			assertThat(this.output).doesNotContain("Expected type: software.amazon.kinesis.leases.MultiStreamLease")
				.doesNotContainPattern("ERROR .*DynamoDBStreamsShutdownTask");
		}

	}

	/**
	 * On four lanes per shard, by partition key, and with the default timings ({@code fast-failover=false}).
	 */
	@Nested
	@TestInstance(Lifecycle.PER_CLASS)
	class RollingOverToOneChildOnLanes extends LineageChecks {

		@BeforeAll
		void consume() {
			this.run = ShardLineageTests.consume(RollOver.ONE_CHILD, "dynamo-trigger.concurrency=4",
					"dynamo-trigger.fast-failover=false");
		}

	}

	/**
	 * Split shards read in per-table mode: a KCL application of the table's own, whose scheduler reads each shard
	 * on a thread of its own.
	 */
	@Nested
	@TestInstance(Lifecycle.PER_CLASS)
	class SplittingInPerTableKclApplications extends LineageChecks {

		@BeforeAll
		void consume() {
			this.run = ShardLineageTests.consume(RollOver.SPLIT, TestContexts.PER_TABLE);
		}

	}

	/**
	 * What every run must show: each change handled once, in order along the lineage, and every closed shard
	 * checkpointed at its end.
	 */
	abstract static class LineageChecks {

		Run run;

		@Test
		void everyChangeIsHandledOnce() {
			assertThat(this.run.lost()).isZero();
			assertThat(this.run.duplicates()).isZero();
		}

		@Test
		void eachItemsChangesAreHandledInWriteOrderFromParentToChild() {
			assertThat(this.run.orderViolations()).isZero();
		}

		@Test
		void everyClosedShardIsCheckpointedAtItsEnd() {
			assertThat(this.run.closedShards()).isNotEmpty()
				.allSatisfy((shard) -> assertThat(this.run.checkpoints()).containsEntry(shard, "SHARD_END"));
		}

	}

	private static Run consume(RollOver rollOver, String... properties) {
		StreamTopology topology = StreamTopology.builder().shards(8)
			.rollOverAfterRecords(ROLL_OVER_AFTER_RECORDS)
			.rollOver(rollOver).build();
		long start = System.nanoTime();
		try (LocalDynamoDb local = LocalDynamoDb.start(topology); StreamShapes shapes = new StreamShapes(local)) {
			ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
			ApplicationContextRunner runner = TestContexts.runner(table)
				.withPropertyValues("dynamo-trigger.aws.endpoint=" + local.endpoint(),
						"dynamo-trigger.aws.region=" + local.region())
				.withPropertyValues(properties);
			List<Run> runs = new ArrayList<>();
			runner.withUserConfiguration(VersionTrigger.class).run((context) -> {
				VersionTrigger trigger = context.getBean(VersionTrigger.class);
				List<String> items = IntStream.range(0, ITEMS).mapToObj((item) -> "item-" + item).toList();
				for (int version = 0; version < CHANGES / ITEMS; version++) {
					table.putEach(items, "r", version, Integer.toString(version));
				}
				trigger.received.awaitCount(CHANGES, TIMEOUT);
				String streamArn = shapes.streamArn(table.name);
				List<String> closed = shapes.closedShards(streamArn);
				Map<String, String> checkpoints = awaitShardEnds(shapes, TestContexts.leaseTable(table), closed);
				runs.add(new Run(trigger.received.all(), closed, checkpoints));
			});
			Run run = runs.get(0);
			System.out.printf("%s %s: %d changes, %d received, %d lost, %d duplicates, %d order violations,"
					+ " %d closed shards, %d ms%n", rollOver, List.of(properties), CHANGES, run.changes().size(),
					run.lost(), run.duplicates(), run.orderViolations(), run.closedShards().size(),
					(System.nanoTime() - start) / 1_000_000);
			return run;
		}
	}

	/**
	 * Waits until every closed shard is checkpointed at its end, or the timeout passed; then returns the
	 * checkpoints by shard id.
	 */
	private static Map<String, String> awaitShardEnds(StreamShapes shapes, String leaseTable, List<String> closed)
			throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		Map<String, String> checkpoints = byShardId(shapes.checkpoints(leaseTable));
		while (!closed.stream().allMatch((shard) -> "SHARD_END".equals(checkpoints.get(shard)))
				&& System.nanoTime() < deadline) {
			Thread.sleep(200);
			checkpoints.clear();
			checkpoints.putAll(byShardId(shapes.checkpoints(leaseTable)));
		}
		return checkpoints;
	}

	/**
	 * Keys the checkpoints by shard id: a lease key of the shared KCL application is
	 * {@code <stream id>:<shard id>}, and a shard id holds no colon.
	 */
	private static Map<String, String> byShardId(Map<String, String> checkpoints) {
		return checkpoints.entrySet().stream().collect(Collectors.toMap(
				(lease) -> lease.getKey().substring(lease.getKey().lastIndexOf(':') + 1), Map.Entry::getValue));
	}

	/**
	 * What a consumer handled, and what its lease table holds.
	 */
	record Run(List<Change> changes, List<String> closedShards, Map<String, String> checkpoints) {

		long lost() {
			return CHANGES - changes.stream().distinct().count();
		}

		long duplicates() {
			return changes.size() - changes.stream().distinct().count();
		}

		/**
		 * Changes of an item that came after a later change of the same item.
		 */
		long orderViolations() {
			Map<String, List<Integer>> versions = changes.stream()
				.collect(Collectors.groupingBy(Change::item, Collectors.mapping(Change::version, Collectors.toList())));
			long violations = 0;
			for (List<Integer> item : versions.values()) {
				for (int i = 1; i < item.size(); i++) {
					if (item.get(i) <= item.get(i - 1)) {
						violations++;
					}
				}
			}
			return violations;
		}

	}

	/**
	 * One change as a trigger was called with it.
	 */
	record Change(String item, int version) {

	}

	static class VersionTrigger {

		final Received<Change> received = new Received<>();

		@DynamoTrigger(table = "${test.table}")
		void onChange(ItemChange<Review> change, TriggerContext context) {
			this.received.add(new Change(change.keys().get("productId").s(),
					Integer.parseInt(change.newImage().getText())));
		}

	}

}
