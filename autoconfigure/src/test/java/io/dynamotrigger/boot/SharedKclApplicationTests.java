package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.kcl.SharedStream;
import io.dynamotrigger.listener.TriggerRegistry;
import io.dynamotrigger.status.TriggerState;
import io.dynamotrigger.status.TriggerStatus;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ten tables read by one KCL application (dynamo-trigger.kcl.application-mode=shared) on the local endpoint,
 * with fast-failover and with the defaults.
 */
@ExtendWith(LocalDynamoDbExtension.class)
class SharedKclApplicationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(120);

	private static final int TABLES = 10;

	private final List<ReviewsTable> tables = new ArrayList<>();

	private String application;

	private ApplicationContextRunner runner;

	@BeforeEach
	void createTables(LocalDynamoDb local) {
		for (int i = 0; i < TABLES; i++) {
			this.tables.add(new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES));
		}
		this.application = "shared" + System.nanoTime() % 1_000_000;
		this.runner = TestContexts.runner(this.tables.get(0))
			.withUserConfiguration(TenTables.class)
			.withPropertyValues("spring.application.name=" + this.application,
					"dynamo-trigger.kcl.application-mode=shared",
					"dynamo-trigger.dead-letter.table-name=" + this.application + "-dead-letters");
		for (int i = 0; i < TABLES; i++) {
			this.runner = this.runner.withPropertyValues("test.t" + i + "=" + this.tables.get(i).name);
		}
	}

	@ParameterizedTest(name = "fast-failover={0}")
	@ValueSource(booleans = { true, false })
	void tenTablesShareOneLeaseTableAndEveryTablesTriggerFires(boolean fastFailover) {
		putOneInEach("before");
		long start = System.nanoTime();
		this.runner.withPropertyValues("dynamo-trigger.fast-failover=" + fastFailover).run((context) -> {
			TenTables triggers = context.getBean(TenTables.class);
			triggers.received.awaitCount(1, TIMEOUT);
			long first = System.nanoTime();
			List<String> received = triggers.received.awaitCount(TABLES, TIMEOUT);
			long all = System.nanoTime();
			System.out.printf("shared, fast-failover=%s: start -> first record %d ms, -> all %d tables %d ms%n",
					fastFailover, (first - start) / 1_000_000, TABLES, (all - start) / 1_000_000);

			assertThat(received).containsExactlyInAnyOrderElementsOf(
					IntStream.range(0, TABLES).mapToObj((i) -> "t" + i + ":before").toList());
			assertThat(leaseTables()).containsExactlyInAnyOrder(this.application,
					this.application + "-CoordinatorState", this.application + "-WorkerMetricStats");
			assertThat(context.getBean(TriggerRegistry.class).status()).hasSize(TABLES).allSatisfy((status) -> {
				assertThat(status.state()).isEqualTo(TriggerState.RUNNING);
				assertThat(status.leaseTable()).isEqualTo(this.application);
				assertThat(status.shards()).hasSize(1);
				assertThat(status.leaseTableProblem()).isNull();
			});
			long stop = System.nanoTime();
			context.close();
			System.out.printf("shared, fast-failover=%s: context close %d ms%n", fastFailover,
					(System.nanoTime() - stop) / 1_000_000);
		});
	}

	@Test
	void aRestartResumesEveryTableFromItsCheckpointWithoutLossOrRepeat() {
		putOneInEach("first");
		this.runner.run((context) -> context.getBean(TenTables.class).received.awaitCount(TABLES, TIMEOUT));
		putOneInEach("second");

		this.runner.run((context) -> {
			TenTables triggers = context.getBean(TenTables.class);
			List<String> received = triggers.received.awaitCount(TABLES, TIMEOUT);
			Thread.sleep(2_000);

			assertThat(triggers.received.all()).containsExactlyInAnyOrderElementsOf(
					IntStream.range(0, TABLES).mapToObj((i) -> "t" + i + ":second").toList());
			assertThat(received).allMatch((item) -> item.endsWith(":second"));
		});
	}

	@Test
	void eachTableStartsAtItsOwnStartingPosition() {
		putOneInEach("before");
		this.runner.withPropertyValues("dynamo-trigger.tables." + this.tables.get(1).name + ".starting-position=latest")
			.run((context) -> {
				TenTables triggers = context.getBean(TenTables.class);
				triggers.received.awaitUntil("t0:before"::equals, TIMEOUT);
				awaitRead(context.getBean(TriggerRegistry.class), this.tables.get(1).name);
				this.tables.get(1).put("p", "after", 5, "written after the start");

				triggers.received.awaitUntil("t1:after"::equals, TIMEOUT);
				triggers.received.awaitUntil("t2:before"::equals, TIMEOUT);
				assertThat(triggers.received.all()).contains("t0:before", "t2:before", "t1:after")
					.doesNotContain("t1:before");
			});
	}

	@Test
	void eachTableIsPolledAtItsOwnRestInterval() {
		this.runner.withPropertyValues("dynamo-trigger.tables." + this.tables.get(0).name + ".polling.rest-interval=2s")
			.run((context) -> {
				TenTables triggers = context.getBean(TenTables.class);
				TriggerRegistry registry = context.getBean(TriggerRegistry.class);
				putOneInEach("warm-up");
				triggers.received.awaitCount(TABLES, TIMEOUT);
				Thread.sleep(2_000);
				long slowBefore = calls(registry, this.tables.get(0).name);
				long defaultBefore = calls(registry, this.tables.get(1).name);
				Thread.sleep(8_000);
				long slow = calls(registry, this.tables.get(0).name) - slowBefore;
				long atDefault = calls(registry, this.tables.get(1).name) - defaultBefore;
				System.out.printf("shared, GetRecords in 8 s at rest: rest-interval 2s %d, 250ms %d%n", slow, atDefault);

				assertThat(slow).isBetween(2L, 6L);
				assertThat(atDefault).isGreaterThan(3 * slow);
			});
	}

	@Test
	void aStoppedTableHoldsItsShardsWhileTheOthersReadAndResumesWhenStarted() {
		this.runner.run((context) -> {
			TenTables triggers = context.getBean(TenTables.class);
			TriggerRegistry registry = context.getBean(TriggerRegistry.class);
			this.tables.get(2).put("p", "warm-up", 5, "x");
			triggers.received.awaitUntil("t2:warm-up"::equals, TIMEOUT);

			registry.stopTrigger("t0");
			this.tables.get(0).put("p", "while-stopped", 5, "x");
			this.tables.get(1).put("p", "while-stopped", 5, "x");
			triggers.received.awaitUntil("t1:while-stopped"::equals, TIMEOUT);
			Thread.sleep(2_000);
			assertThat(triggers.received.all()).doesNotContain("t0:while-stopped");
			assertThat(state(registry, "t0")).isEqualTo(TriggerState.STOPPED);
			assertThat(state(registry, "t1")).isEqualTo(TriggerState.RUNNING);

			registry.startTrigger("t0");
			triggers.received.awaitUntil("t0:while-stopped"::equals, TIMEOUT);
			assertThat(state(registry, "t0")).isEqualTo(TriggerState.RUNNING);
			assertThat(triggers.received.all()).filteredOn((item) -> item.startsWith("t0:")).containsExactly(
					"t0:while-stopped");
		});
	}

	@Test
	void aTableLeftOutOfTheApplicationKeepsItsCheckpointsAndIsReadOnWhenItComesBack() {
		putOneInEach("first");
		this.runner.run((context) -> context.getBean(TenTables.class).received.awaitCount(TABLES, TIMEOUT));
		this.tables.get(1).put("p", "while-left-out", 5, "x");

		this.runner
			.withPropertyValues(IntStream.range(1, TABLES)
				.mapToObj((i) -> "dynamo-trigger.triggers.t" + i + ".enabled=false")
				.toArray(String[]::new))
			.run((context) -> {
				TenTables triggers = context.getBean(TenTables.class);
				this.tables.get(0).put("p", "alone", 5, "x");
				triggers.received.awaitUntil("t0:alone"::equals, TIMEOUT);
				// Long enough for the scheduler to take the left-out tables' leases and read them.
				Thread.sleep(5_000);
				assertThat(triggers.received.all()).containsExactly("t0:alone");
			});

		this.runner.run((context) -> {
			TenTables triggers = context.getBean(TenTables.class);
			assertThat(triggers.received.awaitUntil("t1:while-left-out"::equals, TIMEOUT))
				.containsExactly("t1:while-left-out");
		});
	}

	@ParameterizedTest(name = "starting-position={0}")
	@ValueSource(strings = { "trim_horizon", "latest" })
	void theFirstSharedStartCarriesTheCheckpointsOfThePerTableModeOver(String startingPosition) {
		ApplicationContextRunner twoTables = this.runner.withPropertyValues(
				"dynamo-trigger.starting-position=" + startingPosition)
			.withPropertyValues(IntStream.range(2, TABLES)
				.mapToObj((i) -> "dynamo-trigger.triggers.t" + i + ".enabled=false")
				.toArray(String[]::new));
		if (startingPosition.equals("trim_horizon")) {
			putOneInEach("per-table");
		}
		twoTables.withPropertyValues("dynamo-trigger.kcl.application-mode=per-table").run((context) -> {
			TenTables triggers = context.getBean(TenTables.class);
			TriggerRegistry registry = context.getBean(TriggerRegistry.class);
			awaitRead(registry, this.tables.get(0).name);
			awaitRead(registry, this.tables.get(1).name);
			putOneInEach("per-table-running");
			triggers.received.awaitUntil("t0:per-table-running"::equals, TIMEOUT);
			triggers.received.awaitUntil("t1:per-table-running"::equals, TIMEOUT);
		});
		putOneInEach("while-down");

		twoTables.run((context) -> {
			TenTables triggers = context.getBean(TenTables.class);
			triggers.received.awaitCount(2, TIMEOUT);
			// Long enough for anything read again to arrive too.
			Thread.sleep(3_000);
			assertThat(triggers.received.all()).containsExactlyInAnyOrder("t0:while-down", "t1:while-down");
			assertThat(leaseTables()).contains(this.application, this.application + "-" + this.tables.get(0).name);
		});
	}

	@Test
	void theLeasesOfATableNoLongerTriggeredAreDeletedWhenConfigured() {
		putOneInEach("first");
		ApplicationContextRunner twoTables = this.runner.withPropertyValues(IntStream.range(2, TABLES)
			.mapToObj((i) -> "dynamo-trigger.triggers.t" + i + ".enabled=false")
			.toArray(String[]::new));
		twoTables.run((context) -> context.getBean(TenTables.class).received.awaitCount(2, TIMEOUT));
		String removed = streamOf(this.tables.get(1));
		String kept = streamOf(this.tables.get(0));
		assertThat(leaseStreams()).contains(removed, kept);

		twoTables.withPropertyValues("dynamo-trigger.triggers.t1.enabled=false",
				"dynamo-trigger.kcl.delete-leases-of-removed-tables-after=0s")
			.run((context) -> {
				long start = System.nanoTime();
				// KCL's leader looks for removed streams a minute after the start, then every minute; with no
				// wait it deletes their leases at the first look.
				long deadline = start + Duration.ofSeconds(150).toNanos();
				while (leaseStreams().contains(removed) && System.nanoTime() < deadline) {
					Thread.sleep(1_000);
				}
				System.out.printf("shared: leases of a removed table deleted %d s after the start%n",
						(System.nanoTime() - start) / 1_000_000_000);
				assertThat(leaseStreams()).doesNotContain(removed).contains(kept);
				this.tables.get(0).put("p", "after-deletion", 5, "x");
				context.getBean(TenTables.class).received.awaitUntil("t0:after-deletion"::equals, TIMEOUT);
			});
	}

	@Test
	void deletingTheLeasesOfRemovedTablesIsRefusedInPerTableMode() {
		this.runner.withPropertyValues("dynamo-trigger.kcl.application-mode=per-table",
				"dynamo-trigger.kcl.delete-leases-of-removed-tables-after=1h")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("dynamo-trigger.kcl.delete-leases-of-removed-tables-after applies to"
						+ " dynamo-trigger.kcl.application-mode=shared only"));
	}

	/**
	 * Returns the identifier of a table's stream in the shared lease table.
	 */
	private static String streamOf(ReviewsTable table) {
		return SharedStream
			.identifierOf(table.client.describeTable((describe) -> describe.tableName(table.name)).table().latestStreamArn())
			.serialize();
	}

	/**
	 * Returns the streams the shared lease table holds leases of.
	 */
	private Set<String> leaseStreams() {
		return this.tables.get(0).client.scanPaginator((scan) -> scan.tableName(this.application))
			.items()
			.stream()
			.filter((lease) -> lease.containsKey("streamName"))
			.map((lease) -> lease.get("streamName").s())
			.collect(Collectors.toSet());
	}

	@Test
	void handlersThatBlockHoldOnlyTheirOwnShardsWhileTheOtherTablesAreRead() {
		this.runner.run((context) -> {
			TenTables triggers = context.getBean(TenTables.class);
			TriggerRegistry registry = context.getBean(TriggerRegistry.class);
			putOneInEach("warm-up");
			triggers.received.awaitCount(TABLES, TIMEOUT);
			try {
				// More handlers block than the application keeps task threads (2).
				for (int i = 0; i < 6; i++) {
					this.tables.get(i).put("p", "hold", 5, "x");
				}
				awaitHolding(triggers, 6);
				long start = System.nanoTime();
				for (int i = 6; i < TABLES; i++) {
					this.tables.get(i).put("p", "while-held", 5, "x");
				}
				for (int i = 6; i < TABLES; i++) {
					triggers.received.awaitUntil(("t" + i + ":while-held")::equals, TIMEOUT);
				}
				System.out.printf("shared, 6 handlers blocked: the other 4 tables' records within %d ms%n",
						(System.nanoTime() - start) / 1_000_000);
				long heldReads = calls(registry, this.tables.get(0).name);
				Thread.sleep(3_000);
				assertThat(calls(registry, this.tables.get(0).name) - heldReads)
					.as("GetRecords of a shard whose handler blocks").isLessThanOrEqualTo(1);
			}
			finally {
				triggers.release.countDown();
			}
			this.tables.get(0).put("p", "after", 5, "x");
			triggers.received.awaitUntil("t0:after"::equals, TIMEOUT);
			assertThat(triggers.received.all()).filteredOn((item) -> item.startsWith("t0:"))
				.containsExactly("t0:warm-up", "t0:hold", "t0:after");
		});
	}

	@Test
	void theShardsAreReadAndProcessedOnAFewThreadsOfTheApplicationNotOnAThreadPerShard() throws InterruptedException {
		long prefetchingBefore = threads("prefetch-cache-");
		long kclTasksBefore = threads("ShardRecordProcessor-");
		this.runner.run((context) -> {
			TenTables triggers = context.getBean(TenTables.class);
			putOneInEach("one");
			triggers.received.awaitCount(TABLES, TIMEOUT);
			// Longer than the pool takes to give back a thread it added (10 s).
			Thread.sleep(12_000);

			long own = threads("dynamo-trigger-" + this.application + "-");
			System.out.printf("shared, %d tables at rest: %d threads of the application, %d live in the JVM%n", TABLES,
					own, Thread.getAllStackTraces().size());
			assertThat(threads("prefetch-cache-")).isLessThanOrEqualTo(prefetchingBefore);
			assertThat(threads("ShardRecordProcessor-")).isLessThanOrEqualTo(kclTasksBefore);
			// Tasks: 2 threads kept, more only while a task waited 100 ms for one (taken back after 10 s);
			// reads: 1 kept, at most 8, grown and taken back in the same way.
			assertThat(threads("dynamo-trigger-" + this.application + "-task-")).isBetween(1L, TABLES / 2L);
			assertThat(threads("dynamo-trigger-" + this.application + "-read-")).isBetween(1L, 8L);
			assertThat(threads("dynamo-trigger-" + this.application + "-timer-")).isEqualTo(1);
		});
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (threads("dynamo-trigger-" + this.application + "-") > 0 && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(threads("dynamo-trigger-" + this.application + "-")).as("threads left after the stop").isZero();
	}

	private static long calls(TriggerRegistry registry, String table) {
		return registry.pollingStats()
			.shards()
			.stream()
			.filter((shard) -> shard.table().equals(table))
			.mapToLong((shard) -> shard.calls())
			.sum();
	}

	private static TriggerState state(TriggerRegistry registry, String id) {
		return registry.status().stream().filter((status) -> status.id().equals(id)).findFirst().orElseThrow().state();
	}

	private static long threads(String namePrefix) {
		return Thread.getAllStackTraces().keySet().stream().filter((thread) -> thread.getName().startsWith(namePrefix))
			.count();
	}

	private static void awaitHolding(TenTables triggers, int handlers) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (triggers.holding.get() < handlers && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(triggers.holding.get()).as("handlers blocked").isEqualTo(handlers);
	}

	private void putOneInEach(String reviewId) {
		this.tables.forEach((table) -> table.put("p", reviewId, 5, "x"));
	}

	private List<String> leaseTables() {
		// Every page: the endpoint is shared with the other test classes, whose tables come first.
		return this.tables.get(0).client.listTablesPaginator()
			.tableNames()
			.stream()
			.filter((name) -> name.startsWith(this.application) && !name.endsWith("-dead-letters"))
			.toList();
	}

	/**
	 * Waits until the table's shard has been read at least once, so that its LATEST iterator was taken.
	 */
	private static void awaitRead(TriggerRegistry registry, String table) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (registry.pollingStats().shards().stream().anyMatch((shard) -> shard.table().equals(table)
					&& shard.calls() > 0)) {
				return;
			}
			Thread.sleep(20);
		}
		throw new AssertionError("Table " + table + " was not read within " + TIMEOUT);
	}

	static class TenTables {

		final Received<String> received = new Received<>();

		/** Handlers called with a review whose id starts with "hold" wait for this (at most a minute). */
		final CountDownLatch release = new CountDownLatch(1);

		final AtomicInteger holding = new AtomicInteger();

		private void receive(String trigger, Review review) {
			if (review.getReviewId().startsWith("hold")) {
				this.holding.incrementAndGet();
				try {
					this.release.await(1, TimeUnit.MINUTES);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			this.received.add(trigger + ":" + review.getReviewId());
		}

		@DynamoTrigger(table = "${test.t0}", id = "t0")
		void onT0(Review review) {
			receive("t0", review);
		}

		@DynamoTrigger(table = "${test.t1}", id = "t1")
		void onT1(Review review) {
			receive("t1", review);
		}

		@DynamoTrigger(table = "${test.t2}", id = "t2")
		void onT2(Review review) {
			receive("t2", review);
		}

		@DynamoTrigger(table = "${test.t3}", id = "t3")
		void onT3(Review review) {
			receive("t3", review);
		}

		@DynamoTrigger(table = "${test.t4}", id = "t4")
		void onT4(Review review) {
			receive("t4", review);
		}

		@DynamoTrigger(table = "${test.t5}", id = "t5")
		void onT5(Review review) {
			receive("t5", review);
		}

		@DynamoTrigger(table = "${test.t6}", id = "t6")
		void onT6(Review review) {
			receive("t6", review);
		}

		@DynamoTrigger(table = "${test.t7}", id = "t7")
		void onT7(Review review) {
			receive("t7", review);
		}

		@DynamoTrigger(table = "${test.t8}", id = "t8")
		void onT8(Review review) {
			receive("t8", review);
		}

		@DynamoTrigger(table = "${test.t9}", id = "t9")
		void onT9(Review review) {
			receive("t9", review);
		}

	}

}
