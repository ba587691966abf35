package io.dynamotrigger.reliability;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IntSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.StreamTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several instances share a stream of 8 shards, each of which rolls over to one child after a number of
 * records (50, 200 in the profile) while records flow to 40 keys.
 * <p>
 * In the normal build (short): three instances start together, records flow, the leases spread, and the
 * instance holding KCL's leader lock (the slowest takeover: the others wait for its lock to run out) is
 * killed with {@code kill -9}; the others take its shards. With {@code dynamo-trigger.fast-failover=true}.
 * <p>
 * In the profile (full), with {@code fast-failover} and with the defaults: three instances start and the
 * spread is followed at rest, then while records flow; a fourth joins; one leaves with SIGTERM and is started
 * again (a graceful restart); then the leader-lock holder is killed with {@code kill -9}.
 * <p>
 * Asserted: nothing is lost; no per-item order violation across the shard lineage (an item keeps its
 * partition key, so its records stay in one lineage, which the instances hand over to each other); no
 * instance handles a record twice; every redelivered record is one the killed instance handled after its
 * shard's last checkpoint, so joining, leaving and restarting redeliver nothing; no "Skipping over the
 * following data records" in any output; while records flow, every instance processes a shard (KCL's leader
 * moves leases to balance the throughput it measured per lease), and so do the joining and the restarted one.
 * Reported, not asserted: how long the leases take to spread and how evenly, how often a lease changed hands,
 * the graceful stop and hand-over times, and the takeover time.
 */
class FleetTests {

	private static final String SHORT_SCENARIO = "fleet-kill-9";

	private static final String SCENARIO = "fleet";

	private static final String DEFAULTS_SCENARIO = "fleet-defaults";

	private static final int SHARDS = 8;

	private static final int KEYS = 40;

	private static final String STARTED = "Started OracleApplication";

	private static final String SKIPPING = "Skipping over the following data records";

	@Test
	void othersTakeTheKilledLeadersShardsWithoutLossOrReordering() {
		int runs = Scale.runs(1, 1);
		for (int run = 1; run <= runs; run++) {
			new Fleet(SHORT_SCENARIO, run, runs, Pace.SHORT).runShort();
		}
	}

	@Test
	@EnabledIfSystemProperty(named = "reliability.long", matches = "true")
	void leasesSpreadAndMoveWithoutLossOrReorderingAsInstancesJoinLeaveRestartAndDie() {
		int runs = Scale.runs(2, 2);
		for (int run = 1; run <= runs; run++) {
			new Fleet(SCENARIO, run, runs, Pace.FAST).runFull();
		}
	}

	@Test
	@EnabledIfSystemProperty(named = "reliability.long", matches = "true")
	void leasesSpreadAndMoveWithoutLossOrReorderingWithTheDefaults() {
		new Fleet(DEFAULTS_SCENARIO, 1, 1, Pace.DEFAULTS, "--dynamo-trigger.fast-failover=false").runFull();
	}

	/**
	 * How the scenario runs and waits; KCL's lease assignment runs every second with fast failover and every
	 * 3 s with the defaults.
	 * @param rollOverAfter records per shard before it rolls over
	 * @param perSecond records written per second
	 * @param flow how long records flow between the steps
	 * @param settle how long the spread must stay the same to count as settled (0: as soon as every instance
	 * holds a shard)
	 * @param spread how long to follow the spread at most
	 * @param timeout how long to wait for a shard, a hand-over or a takeover at most
	 */
	private record Pace(int rollOverAfter, int perSecond, Duration flow, Duration settle, Duration spread,
			Duration timeout) {

		static final Pace SHORT = new Pace(50, 25, Duration.ofSeconds(2), Duration.ZERO, Duration.ofSeconds(30),
				Duration.ofMinutes(2));

		static final Pace FAST = new Pace(200, 40, Duration.ofSeconds(30), Duration.ofSeconds(10),
				Duration.ofSeconds(60), Duration.ofMinutes(2));

		static final Pace DEFAULTS = new Pace(200, 40, Duration.ofSeconds(30), Duration.ofSeconds(20),
				Duration.ofMinutes(2), Duration.ofMinutes(6));

	}

	/**
	 * One run: the endpoint, the workload and the instances started so far.
	 */
	private static final class Fleet {

		private final String scenario;

		private final int run;

		private final int runs;

		private final Pace pace;

		private final String[] settings;

		private final List<AppProcess> started = new ArrayList<>();

		private final List<AppProcess> fleet = new ArrayList<>();

		private final AtomicBoolean stopWriting = new AtomicBoolean();

		private LocalDynamoDb moto;

		private Workload workload;

		Fleet(String scenario, int run, int runs, Pace pace, String... settings) {
			this.scenario = scenario;
			this.run = run;
			this.runs = runs;
			this.pace = pace;
			this.settings = settings;
		}

		/** Three instances, records flowing, the leader-lock holder killed. */
		void runShort() {
			within(() -> {
				startTogether("a", "b", "c");
				CompletableFuture<Void> writing = this.workload.writeInBackgroundUntil(this.stopWriting,
						this.pace.perSecond());
				Spread spread = awaitSpread(System.nanoTime(), true, this.pace.spread());
				Kill kill = killLeader();
				AppProcess.sleep(this.pace.flow().toMillis());
				finish(writing, kill, String.format("records flowing: %s; %s", spread, kill));
				assertThat(spread.allHoldSeconds()).as("seconds until every instance processed a shard")
					.isNotNegative();
			});
		}

		/**
		 * Three instances at rest, then records flowing; a fourth joins, one leaves gracefully and restarts, the
		 * leader-lock holder is killed.
		 */
		void runFull() {
			within(() -> {
				startTogether("a", "b", "c");
				Spread atRest = awaitSpread(System.nanoTime(), false, this.pace.settle().multipliedBy(2));
				CompletableFuture<Void> writing = this.workload.writeInBackgroundUntil(this.stopWriting,
						this.pace.perSecond());
				Spread flowing = awaitSpread(System.nanoTime(), true, this.pace.spread());

				AppProcess joining = start("d");
				joining.awaitOutput(STARTED, 1, Duration.ofMinutes(2));
				double joinSeconds = awaitShard(joining, System.nanoTime());
				AppProcess.sleep(this.pace.flow().toMillis());
				String afterJoin = held();

				AppProcess leaving = this.fleet.get(0);
				String leavingWorker = workerOf(leaving, this.workload.leases());
				long stoppingAt = System.nanoTime();
				leaving.stop();
				double stopSeconds = seconds(stoppingAt);
				this.fleet.remove(leaving);
				double handOverSeconds = awaitTakenOver(leavingWorker, stoppingAt);
				String afterLeave = held();
				AppProcess restarted = start(leaving.name() + "2");
				restarted.awaitOutput(STARTED, 1, Duration.ofMinutes(2));
				double restartSeconds = awaitShard(restarted, stoppingAt);
				AppProcess.sleep(this.pace.flow().toMillis());
				String afterRestart = held();

				Kill kill = killLeader();
				AppProcess.sleep(this.pace.flow().toMillis());
				finish(writing, kill, String.format("at rest: %s; records flowing: %s; d joined: held a shard %.1f s"
						+ " after its start (-1: not within %d s), then %s; %s left: graceful stop %.1f s, its shards"
						+ " taken %.1f s after SIGTERM, then %s; restarted as %s: held a shard %.1f s after the SIGTERM"
						+ " (-1: not within %d s of its start), then %s; %s", atRest, flowing, joinSeconds,
						this.pace.spread().toSeconds(), afterJoin, leaving.name(), stopSeconds, handOverSeconds,
						afterLeave, restarted.name(), restartSeconds, this.pace.spread().toSeconds(), afterRestart,
						kill));
				assertThat(flowing.allHoldSeconds()).as("seconds until every instance processed a shard")
					.isNotNegative();
				assertThat(joinSeconds).as("seconds until the joining instance processed a shard").isNotNegative();
				assertThat(restartSeconds).as("seconds until the restarted instance processed a shard")
					.isNotNegative();
			});
		}

		private void within(Runnable steps) {
			StreamTopology topology = StreamTopology.builder()
				.shards(SHARDS)
				.rollOverAfterRecords(this.pace.rollOverAfter())
				.rollOver(StreamTopology.RollOver.ONE_CHILD)
				.build();
			try (LocalDynamoDb endpoint = LocalDynamoDb.start(topology);
					Workload keyed = Workload.create(endpoint.endpoint(), KEYS)) {
				this.moto = endpoint;
				this.workload = keyed;
				steps.run();
			}
			finally {
				this.stopWriting.set(true);
				this.started.forEach(AppProcess::close);
			}
		}

		private AppProcess start(String name) {
			AppProcess instance = AppProcess.start(name, this.moto.endpoint(), this.moto.endpoint(),
					Report.log(this.scenario, this.run, name), this.settings);
			this.started.add(instance);
			this.fleet.add(instance);
			return instance;
		}

		private void startTogether(String... names) {
			List.of(names).forEach(this::start);
			this.fleet.forEach((instance) -> instance.awaitOutput(STARTED, 1, Duration.ofMinutes(2)));
		}

		/**
		 * Kills the instance holding KCL's leader lock ({@code kill -9}), or the one processing the most shards if
		 * the lock holder cannot be told (an instance is known by the owner of the shards it took), and waits
		 * until the others took its shards.
		 */
		private Kill killLeader() {
			List<Workload.Lease> beforeKill = this.workload.leases();
			String leader = this.workload.leaderLockOwner();
			AppProcess victim = this.fleet.stream()
				.max(Comparator.comparing((AppProcess instance) -> workerOf(instance, beforeKill).equals(leader))
					.thenComparingInt(AppProcess::leases))
				.orElseThrow();
			String victimWorker = workerOf(victim, beforeKill);
			long killedAt = System.nanoTime();
			victim.kill();
			Map<String, String> checkpoints = this.workload.leases()
				.stream()
				.filter((lease) -> lease.owner().equals(victimWorker) && lease.active())
				.collect(Collectors.toMap(Workload.Lease::shard, Workload.Lease::checkpoint));
			this.fleet.remove(victim);
			double takeoverSeconds = awaitTakenOver(victimWorker, killedAt);
			return new Kill(victim, victimWorker.equals(leader), checkpoints, takeoverSeconds, held());
		}

		private void finish(CompletableFuture<Void> writing, Kill kill, String figures) {
			this.stopWriting.set(true);
			writing.join();
			Tally handled = this.workload.awaitAllHandled(Duration.ofMinutes(5));
			this.fleet.forEach(AppProcess::stop);
			Tally tally = this.workload.tally();
			List<Tally.Call> calls = this.workload.calls();
			long victimCallsAfterCheckpoint = callsAfterCheckpoint(calls, kill);
			int taken = this.started.stream().mapToInt((instance) -> instance.shardsTaken().size()).sum();
			Report.line(this.scenario, this.run, this.runs, tally, String.format(
					"%d shards rolling over every %d records, %d shards in all, leases taken %d times in all; %s;"
							+ " victim's calls after its checkpoints %d; handled twice by one instance: %s",
					SHARDS, this.pace.rollOverAfter(), this.workload.leases().size(), taken, figures,
					victimCallsAfterCheckpoint, handledTwiceByOneInstance(calls)));

			assertThat(handled.lost()).isZero();
			assertThat(tally.orderViolations()).isZero();
			assertThat(tally.sameInstanceDuplicates()).isZero();
			assertThat(redeliveredNotFromTheKill(calls, kill)).isEmpty();
			assertThat(tally.duplicates()).isLessThanOrEqualTo(victimCallsAfterCheckpoint);
			assertThat(this.started).allSatisfy((instance) -> assertThat(instance.output()).doesNotContain(SKIPPING));
		}

		/**
		 * Follows the spread until it has stayed the same for the pace's settle time (the numbers of shards the
		 * instances process, whichever has them), also after every instance held a shard if
		 * {@code untilAllHold}, or until {@code timeout}.
		 */
		private Spread awaitSpread(long from, boolean untilAllHold, Duration timeout) {
			long deadline = from + timeout.toNanos();
			long allHoldAt = -1;
			long changedAt = from;
			String last = "";
			String table = "";
			boolean settled = false;
			List<Integer> gaps = new ArrayList<>();
			while (!settled && System.nanoTime() < deadline) {
				table = leasesPerOwner(this.workload.leases());
				String now = this.fleet.stream().map(AppProcess::leases).sorted().toList().toString();
				if (!now.equals(last)) {
					changedAt = System.nanoTime();
					last = now;
				}
				if (allHoldAt < 0 && this.fleet.stream().allMatch((instance) -> instance.leases() > 0)) {
					allHoldAt = System.nanoTime();
				}
				if (allHoldAt >= 0) {
					IntSummaryStatistics held = this.fleet.stream().mapToInt(AppProcess::leases).summaryStatistics();
					gaps.add(held.getMax() - held.getMin());
				}
				settled = (allHoldAt >= 0 || !untilAllHold)
						&& System.nanoTime() - changedAt >= this.pace.settle().toNanos();
				AppProcess.sleep(250);
			}
			return new Spread((allHoldAt < 0) ? -1 : (allHoldAt - from) / 1e9,
					settled ? (changedAt - from) / 1e9 : -1, this.pace.settle().toSeconds(), timeout.toSeconds(),
					held(), table, gaps.stream().mapToInt(Integer::intValue).average().orElse(-1),
					gaps.stream().mapToInt(Integer::intValue).max().orElse(-1));
		}

		/**
		 * Waits until the instance processes a shard, which depends on KCL's leader giving it a new, expired or
		 * balanced lease.
		 * @return seconds from {@code since}, or -1 if it did not within the pace's spread time
		 */
		private double awaitShard(AppProcess instance, long since) {
			long deadline = System.nanoTime() + this.pace.spread().toNanos();
			while (instance.leases() == 0) {
				if (System.nanoTime() > deadline) {
					return -1;
				}
				AppProcess.sleep(100);
			}
			return seconds(since);
		}

		/**
		 * Waits until the others took every unended lease the worker held: the lease table shows another owner
		 * and one of the others logged taking the shard since, or the shard ended.
		 * @return seconds from {@code since}
		 */
		private double awaitTakenOver(String worker, long since) {
			Map<AppProcess, Integer> takenBefore = new HashMap<>();
			this.fleet.forEach((other) -> takenBefore.put(other, other.shardsTaken().size()));
			Set<String> shards = this.workload.leases()
				.stream()
				.filter((lease) -> lease.owner().equals(worker) && lease.active())
				.map(Workload.Lease::shard)
				.collect(Collectors.toSet());
			long deadline = since + this.pace.timeout().toNanos();
			while (true) {
				Map<String, Workload.Lease> leases = this.workload.leases()
					.stream()
					.collect(Collectors.toMap(Workload.Lease::shard, Function.identity()));
				Set<String> takenSince = this.fleet.stream()
					.flatMap((other) -> other.shardsTaken().stream().skip(takenBefore.get(other)))
					.collect(Collectors.toSet());
				boolean done = shards.stream().allMatch((shard) -> {
					Workload.Lease lease = leases.get(shard);
					return lease == null || !lease.active()
							|| (!lease.owner().equals(worker) && takenSince.contains(shard));
				});
				if (done) {
					return seconds(since);
				}
				if (System.nanoTime() > deadline) {
					throw new AssertionError("The shards " + shards + " of worker " + worker
							+ " were not taken over within " + this.pace.timeout() + "; leases " + leases.values());
				}
				AppProcess.sleep(100);
			}
		}

		private String held() {
			Map<String, Integer> held = new LinkedHashMap<>();
			this.fleet.forEach((instance) -> held.put(instance.name(), instance.leases()));
			return held.toString();
		}

	}

	/**
	 * The kill -9.
	 * @param victim the instance killed
	 * @param heldLeaderLock whether it held KCL's leader lock
	 * @param checkpoints the checkpoints of its unended shards at the kill, by shard
	 * @param takeoverSeconds from the kill until the others took each of those shards
	 * @param after shards each of the others processes once they did
	 */
	private record Kill(AppProcess victim, boolean heldLeaderLock, Map<String, String> checkpoints,
			double takeoverSeconds, String after) {

		@Override
		public String toString() {
			return String.format("%s killed (held the leader lock %s, %d shards): taken over %.1f s after the kill,"
					+ " then %s", this.victim.name(), this.heldLeaderLock, this.checkpoints.size(),
					this.takeoverSeconds, this.after);
		}

	}

	/**
	 * How the leases spread over the instances.
	 * @param allHoldSeconds from the start until every instance held a shard, or -1 if not every one did
	 * @param settledSeconds from the start until the spread last changed, or -1 if it did not settle
	 * @param settle how long it had to stay the same to count as settled
	 * @param timeout how long it was followed at most
	 * @param held shards each instance processes, at the end
	 * @param table the unended leases of the lease table per owner, most first, at the end
	 * @param meanGap the difference between the most and the fewest shards an instance processed, on average over
	 * the samples (every 250 ms) from when every instance held one
	 * @param worstGap that difference at its largest over those samples
	 */
	private record Spread(double allHoldSeconds, double settledSeconds, long settle, long timeout, String held,
			String table, double meanGap, int worstGap) {

		@Override
		public String toString() {
			return String.format("every instance held a shard after %.1f s, spread settled after %.1f s (unchanged"
					+ " for %d s; -1: not within %d s): %s, lease table %s, shards per instance differed by %.1f on"
					+ " average, %d at worst", this.allHoldSeconds, this.settledSeconds, this.settle, this.timeout,
					this.held, this.table, this.meanGap, this.worstGap);
		}

	}

	/**
	 * The worker id of an instance: the owner the lease table names for most of the shards the instance holds
	 * as its log says, or {@code unknown} if it holds none (leases change hands often while KCL balances, so
	 * the shards it took earlier may belong to others by now).
	 */
	private static String workerOf(AppProcess instance, List<Workload.Lease> leases) {
		Set<String> held = instance.shardsHeld();
		return leases.stream()
			.filter((lease) -> held.contains(lease.shard()) && lease.active() && !lease.owner().equals("none"))
			.collect(Collectors.groupingBy(Workload.Lease::owner, Collectors.counting()))
			.entrySet()
			.stream()
			.max(Map.Entry.comparingByValue())
			.map(Map.Entry::getKey)
			.orElse("unknown");
	}

	private static String leasesPerOwner(List<Workload.Lease> leases) {
		Map<String, Long> perOwner = leases.stream()
			.filter(Workload.Lease::active)
			.collect(Collectors.groupingBy(Workload.Lease::owner, TreeMap::new, Collectors.counting()));
		Long unassigned = perOwner.remove("none");
		return perOwner.values().stream().sorted((a, b) -> Long.compare(b, a)).toList()
				+ ((unassigned != null) ? " and " + unassigned + " unassigned" : "");
	}

	/**
	 * The victim's calls for records after the checkpoint its shards had at the kill: what its successors read
	 * again.
	 */
	private static long callsAfterCheckpoint(List<Tally.Call> calls, Kill kill) {
		return calls.stream().filter((call) -> isAfterCheckpoint(call, kill)).count();
	}

	private static boolean isAfterCheckpoint(Tally.Call call, Kill kill) {
		String checkpoint = kill.checkpoints().get(call.shard());
		if (!call.instance().startsWith(kill.victim().name() + ".") || checkpoint == null) {
			return false;
		}
		return !checkpoint.chars().allMatch(Character::isDigit)
				|| new BigInteger(call.streamSeq()).compareTo(new BigInteger(checkpoint)) > 0;
	}

	/**
	 * The records handled more than once of which the victim did not handle one after its shard's checkpoint at
	 * the kill, as {@code key/seq}.
	 */
	private static List<String> redeliveredNotFromTheKill(List<Tally.Call> calls, Kill kill) {
		return calls.stream()
			.collect(Collectors.groupingBy((call) -> call.key() + "/" + call.seq()))
			.entrySet()
			.stream()
			.filter((record) -> record.getValue().size() > 1 && record.getValue()
				.stream()
				.noneMatch((call) -> isAfterCheckpoint(call, kill)))
			.map(Map.Entry::getKey)
			.toList();
	}

	/**
	 * The records one instance handled more than once, with the shard, each call's number and time (epoch
	 * milliseconds): a redelivery after the lease came back reads again from a checkpoint, a repeated call
	 * does not.
	 */
	private static List<String> handledTwiceByOneInstance(List<Tally.Call> calls) {
		return calls.stream()
			.collect(Collectors.groupingBy((call) -> call.instance() + " " + call.key() + "/" + call.seq()))
			.entrySet()
			.stream()
			.filter((record) -> record.getValue().size() > 1)
			.map((record) -> record.getKey() + " on " + record.getValue().get(0).shard() + " seq "
					+ record.getValue().get(0).streamSeq() + ": " + record.getValue()
						.stream()
						.map((call) -> "call " + call.callNo() + " at " + call.at())
						.toList())
			.limit(5)
			.toList();
	}

	private static double seconds(long since) {
		return (System.nanoTime() - since) / 1e9;
	}

}
