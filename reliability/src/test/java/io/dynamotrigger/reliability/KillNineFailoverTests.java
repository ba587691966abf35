package io.dynamotrigger.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.dynamotrigger.test.LocalDynamoDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances share the stream (moto has one shard: one holds the lease, the other waits); the holder is
 * killed with {@code kill -9} while records flow, and the other takes the lease over, with
 * {@code dynamo-trigger.fast-failover=true} (KCL leader lock 6 s, failover 3 s), with the defaults that
 * production deployments get (leader lock 12 s, failover 10 s) and, in the profile only (it takes minutes),
 * with KCL's own 2-minute leader lock. Without fast-failover the first instance takes the lease before the
 * second starts, so it also holds KCL's leader lock: the slowest takeover, which waits for the dead leader's
 * lock to run out. While the survivor waits, its health lists the dead instance's lease
 * under {@code takeover} and stays UP; the run reports what it showed, and asserts it when the survivor
 * waited for a dead leader's lock without fast-failover. The same runs, with fast-failover and with the
 * defaults, in the default KCL application mode (one for all tables, lease table {@code reliability}, lease keys
 * carrying the stream) and in per-table mode ({@code dynamo-trigger.kcl.application-mode=per-table}, lease table
 * {@code reliability-Events}); the per-table runs only with {@code -Preliability}, so that the normal build stays
 * short.
 */
class KillNineFailoverTests {

	private static final String SCENARIO = "kill-9-failover";

	private static final String DEFAULTS_SCENARIO = "kill-9-failover-defaults";

	private static final String KCL_LEADER_LOCK_SCENARIO = "kill-9-failover-kcl-leader-lock-2m";

	private static final String PER_TABLE_SCENARIO = "kill-9-failover-per-table";

	private static final String PER_TABLE_DEFAULTS_SCENARIO = "kill-9-failover-per-table-defaults";

	private static final String PER_TABLE = "--dynamo-trigger.kcl.application-mode=per-table";

	@Test
	void survivorTakesTheLeaseOverAndNoRecordIsLostOrReordered() {
		int runs = Scale.runs(1, 10);
		int records = Scale.records(600, 5000);
		for (int run = 1; run <= runs; run++) {
			runOnce(SCENARIO, run, runs, records, Duration.ofMinutes(3), false);
		}
	}

	@Test
	@EnabledIfSystemProperty(named = "reliability.long", matches = "true")
	void inPerTableKclApplicationsTheSurvivorTakesTheLeaseOverAndNoRecordIsLostOrReordered() {
		int runs = Scale.runs(1, 10);
		int records = Scale.records(600, 5000);
		for (int run = 1; run <= runs; run++) {
			runOnce(PER_TABLE_SCENARIO, run, runs, records, Duration.ofMinutes(3), false, PER_TABLE);
		}
	}

	@Test
	@EnabledIfSystemProperty(named = "reliability.long", matches = "true")
	void inPerTableKclApplicationsTheSurvivorTakesTheLeaseOverWithTheDefaultsAndNoRecordIsLostOrReordered() {
		int runs = Scale.runs(1, 3);
		for (int run = 1; run <= runs; run++) {
			runOnce(PER_TABLE_DEFAULTS_SCENARIO, run, runs, Scale.records(600, 3_000), Duration.ofMinutes(3), true,
					"--dynamo-trigger.fast-failover=false", PER_TABLE);
		}
	}

	@Test
	void survivorTakesTheLeaseOverWithTheDefaultsAndNoRecordIsLostOrReordered() {
		int runs = Scale.runs(1, 3);
		for (int run = 1; run <= runs; run++) {
			runOnce(DEFAULTS_SCENARIO, run, runs, Scale.records(600, 3_000), Duration.ofMinutes(3), true,
					"--dynamo-trigger.fast-failover=false");
		}
	}

	@Test
	@EnabledIfSystemProperty(named = "reliability.long", matches = "true")
	void survivorTakesTheLeaseOverWithKclsOwnLeaderLock() {
		runOnce(KCL_LEADER_LOCK_SCENARIO, 1, 1, Scale.records(3_000, 3_000), Duration.ofMinutes(8), true,
				"--dynamo-trigger.fast-failover=false", "--dynamo-trigger.leader-lock-duration=2m");
	}

	/**
	 * Runs the scenario once.
	 * @param leaderFirst {@code true} to start the second instance only once the first holds the lease, so
	 * that the first, the victim, also holds KCL's leader lock
	 */
	private void runOnce(String scenario, int run, int runs, int records, Duration takeoverTimeout,
			boolean leaderFirst, String... settings) {
		String leaseTable = List.of(settings).contains(PER_TABLE) ? Workload.PER_TABLE_LEASE_TABLE
				: Workload.LEASE_TABLE;
		try (LocalDynamoDb moto = LocalDynamoDb.start(); Workload workload = Workload.create(moto.endpoint(), leaseTable);
				AppProcess first = AppProcess.start("first", moto.endpoint(), moto.endpoint(),
						Report.log(scenario, run, "first"), settings);
				AppProcess second = startSecond(first, leaderFirst, moto, Report.log(scenario, run, "second"),
						settings)) {
			first.awaitOutput("Started OracleApplication", 1, Duration.ofMinutes(2));
			second.awaitOutput("Started OracleApplication", 1, Duration.ofMinutes(2));
			awaitLeaseHolder(first, second);
			CompletableFuture<Void> writing = workload.writeInBackground(records);
			AppProcess victim = first.holdsLease() ? first : second;
			AppProcess survivor = (victim == first) ? second : first;
			int survivorLeases = survivor.occurrences(AppProcess.TOOK_LEASE);
			victim.awaitHandled(Math.min(records / 4, 1000), Duration.ofMinutes(3));

			long killedAt = System.nanoTime();
			victim.kill();
			String checkpointAtKill = workload.checkpoint();
			String victimWorker = workload.leaseOwner();
			boolean victimWasLeader = victimWorker.equals(workload.leaderLockOwner());
			survivor.awaitOutput(AppProcess.TOOK_LEASE, survivorLeases + 1, takeoverTimeout);
			double takeoverSeconds = (System.nanoTime() - killedAt) / 1e9;
			List<String> takeoverHealth = survivor.output()
				.lines()
				.filter((line) -> line.startsWith("HEALTH") && line.contains("takeover="))
				.toList();
			writing.join();
			Tally handled = workload.awaitAllHandled(Duration.ofMinutes(5));
			double allHandledSeconds = (System.nanoTime() - killedAt) / 1e9;
			survivor.stop();
			Tally tally = workload.tally();
			Report.line(scenario, run, runs, tally, String.format(
					"takeover %.1f s after the kill, all handled %.1f s after the kill, checkpoint at the kill %s,"
							+ " survivor started after %s, victim held the leader lock %s, survivor's health during the"
							+ " takeover %s",
					takeoverSeconds, allHandledSeconds, checkpointAtKill, survivor.startedAfter(), victimWasLeader,
					takeoverHealth.isEmpty() ? "did not show it" : takeoverHealth.get(0)));

			assertThat(handled.lost()).isZero();
			assertThat(tally.orderViolations()).isZero();
			// A redelivery comes only from the takeover: records the victim handled after its last checkpoint.
			assertThat(tally.sameInstanceDuplicates()).isZero();
			assertThat(survivor.startedAfter()).isEqualTo(checkpointAtKill);
			assertThat(tally.duplicates()).isLessThanOrEqualTo(victimCalls(tally, victim));
			assertThat(survivor.output()).doesNotContain("Skipping over the following data records");
			if (victimWasLeader && !scenario.equals(SCENARIO) && !scenario.equals(PER_TABLE_SCENARIO)) {
				// Waiting for the dead leader's lock leaves time for several lease-table reads; with fast-failover
				// the takeover may come before the survivor has seen the lease go unrenewed.
				assertThat(takeoverHealth)
					.anyMatch((line) -> line.startsWith("HEALTH UP") && line.contains(victimWorker));
			}
		}
	}

	private static AppProcess startSecond(AppProcess first, boolean afterFirstHoldsTheLease, LocalDynamoDb moto,
			Path log, String... settings) {
		if (afterFirstHoldsTheLease) {
			first.awaitOutput(AppProcess.TOOK_LEASE, 1, Duration.ofMinutes(2));
		}
		return AppProcess.start("second", moto.endpoint(), moto.endpoint(), log, settings);
	}

	private static void awaitLeaseHolder(AppProcess first, AppProcess second) {
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while (!first.holdsLease() && !second.holdsLease()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Neither instance took the lease within 2 minutes; see " + first.log());
			}
			AppProcess.sleep(100);
		}
	}

	private static long victimCalls(Tally tally, AppProcess victim) {
		return tally.callsPerInstance()
			.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().startsWith(victim.name() + "."))
			.mapToLong((entry) -> entry.getValue())
			.sum();
	}

}
