package io.dynamotrigger.reliability;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import io.dynamotrigger.test.LocalDynamoDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kill -9 failover of {@link KillNineFailoverTests} with the trigger idempotent
 * ({@code dynamo-trigger.triggers[callRecorder.onEvent].idempotent=true}, the default lock timeout of 1 minute):
 * the survivor reads again what the victim handled after its last checkpoint, and the idempotency table keeps
 * those records from the trigger. The side effect counted is the trigger's oracle write. The kill comes at a
 * random moment (0 to 500 ms after the victim reported progress), so that it can fall anywhere in a call.
 * Asserted: 0 lost, 0 order violations, and no record handled twice except the one record in flight at the
 * kill when the kill fell between its side effect and its completion write (then the survivor calls it again
 * once the claim runs out: the documented limit). Reported: how many records the survivor read again (each a
 * duplicate without idempotency), the duplicates, and where the kill fell. With fast-failover and with the
 * defaults.
 */
class IdempotentKillNineTests {

	private static final String IDEMPOTENT = "--dynamo-trigger.triggers[callRecorder.onEvent].idempotent=true";

	/**
	 * The application retries 1,000 times (for the outage scenario); an idempotent trigger's retry pauses must
	 * stay below the lock timeout (the start checks it): 20 calls pause ~17 s.
	 */
	private static final String RETRIES_WITHIN_THE_LOCK = "--dynamo-trigger.triggers[callRecorder.onEvent]"
			+ ".retry.max-attempts=20";

	@Test
	void withIdempotentTheSurvivorCallsTheTriggerOnlyForWhatTheVictimDidNotComplete() {
		int runs = Scale.runs(1, 5);
		for (int run = 1; run <= runs; run++) {
			runOnce("kill-9-idempotent", run, runs, Scale.records(600, 3_000), IDEMPOTENT, RETRIES_WITHIN_THE_LOCK);
		}
	}

	@Test
	@EnabledIfSystemProperty(named = "reliability.long", matches = "true")
	void withIdempotentAndTheDefaultsTheSurvivorCallsTheTriggerOnlyForWhatTheVictimDidNotComplete() {
		int runs = Scale.runs(1, 3);
		for (int run = 1; run <= runs; run++) {
			runOnce("kill-9-idempotent-defaults", run, runs, Scale.records(600, 3_000), IDEMPOTENT,
					RETRIES_WITHIN_THE_LOCK, "--dynamo-trigger.fast-failover=false");
		}
	}

	private void runOnce(String scenario, int run, int runs, int records, String... settings) {
		long killDelay = new Random().nextInt(500);
		try (LocalDynamoDb moto = LocalDynamoDb.start();
				Workload workload = Workload.create(moto.endpoint());
				AppProcess first = AppProcess.start("first", moto.endpoint(), moto.endpoint(),
						Report.log(scenario, run, "first"), settings);
				AppProcess second = AppProcess.start("second", moto.endpoint(), moto.endpoint(),
						Report.log(scenario, run, "second"), settings)) {
			first.awaitOutput("Started OracleApplication", 1, Duration.ofMinutes(2));
			second.awaitOutput("Started OracleApplication", 1, Duration.ofMinutes(2));
			awaitLeaseHolder(first, second);
			CompletableFuture<Void> writing = workload.writeInBackground(records);
			AppProcess victim = first.holdsLease() ? first : second;
			AppProcess survivor = (victim == first) ? second : first;
			int survivorLeases = survivor.occurrences(AppProcess.TOOK_LEASE);
			victim.awaitHandled(Math.min(records / 4, 1000), Duration.ofMinutes(3));
			AppProcess.sleep(killDelay);

			long killedAt = System.nanoTime();
			victim.kill();
			String checkpointAtKill = workload.checkpoint();
			survivor.awaitOutput(AppProcess.TOOK_LEASE, survivorLeases + 1, Duration.ofMinutes(3));
			double takeoverSeconds = (System.nanoTime() - killedAt) / 1e9;
			writing.join();
			Tally handled = workload.awaitAllHandled(Duration.ofMinutes(5));
			double allHandledSeconds = (System.nanoTime() - killedAt) / 1e9;
			survivor.stop();
			Tally tally = workload.tally();
			List<Tally.Call> calls = workload.calls();
			List<Tally.Call> victimCalls = calls.stream()
				.filter((call) -> call.instance().startsWith(victim.name() + "."))
				.toList();
			Tally.Call inFlight = victimCalls.stream().max(Comparator.comparingLong(Tally.Call::callNo)).orElseThrow();
			long readAgain = victimCalls.stream()
				.filter((call) -> sequence(call.streamSeq()).compareTo(sequence(checkpointAtKill)) > 0)
				.count();
			Map<String, Long> callsPerRecord = calls.stream()
				.collect(Collectors.groupingBy((call) -> call.key() + "/" + call.seq(), Collectors.counting()));
			List<String> twice = callsPerRecord.entrySet()
				.stream()
				.filter((entry) -> entry.getValue() > 1)
				.map(Map.Entry::getKey)
				.toList();
			String inFlightRecord = inFlight.key() + "/" + inFlight.seq();
			Report.line(scenario, run, runs, tally, String.format(
					"records the victim handled after its last checkpoint (read again by the survivor, each a"
							+ " duplicate without idempotent) %d, records called twice %s (the victim's record in flight"
							+ " at the kill %s), kill %d ms after the progress line, takeover %.1f s, all handled %.1f s"
							+ " after the kill",
					readAgain, twice, inFlightRecord, killDelay, takeoverSeconds, allHandledSeconds));

			assertThat(handled.lost()).isZero();
			assertThat(tally.orderViolations()).isZero();
			assertThat(tally.sameInstanceDuplicates()).isZero();
			assertThat(twice).as("records called twice, besides the one in flight at the kill")
				.allMatch(inFlightRecord::equals);
			assertThat(survivor.output()).doesNotContain("Skipping over the following data records");
		}
	}

	private static BigInteger sequence(String sequenceNumber) {
		return (sequenceNumber != null && sequenceNumber.matches("\\d+")) ? new BigInteger(sequenceNumber)
				: BigInteger.ZERO;
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

}
