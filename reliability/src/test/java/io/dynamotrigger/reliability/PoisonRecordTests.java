package io.dynamotrigger.reliability;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.dynamotrigger.test.LocalDynamoDb;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One record in 1,000 (10,000 in the profile) makes the trigger throw every time; with 3 attempts it is
 * dead-lettered, whole, and every other record is handled, in order per key. Two writers write at once.
 */
class PoisonRecordTests {

	private static final String SCENARIO = "poison-record";

	@Test
	void poisonRecordIsDeadLetteredOnceWithTheWholeRecordAndEveryOtherRecordIsHandledInOrder() {
		int runs = Scale.runs(1, 1);
		int records = Scale.records(1_000, 10_000);
		for (int run = 1; run <= runs; run++) {
			runOnce(run, runs, records);
		}
	}

	private void runOnce(int run, int runs, int records) {
		try (LocalDynamoDb moto = LocalDynamoDb.start(); Workload workload = Workload.create(moto.endpoint());
				AppProcess app = AppProcess.start("app", moto.endpoint(), moto.endpoint(),
						Report.log(SCENARIO, run, "app"), "--dynamo-trigger.retry.max-attempts=3",
						"--dynamo-trigger.retry.initial-interval=100ms")) {
			app.awaitOutput(AppProcess.TOOK_LEASE, 1, Duration.ofMinutes(2));
			long start = System.nanoTime();
			workload.write(records, 2, records);
			double writtenSeconds = (System.nanoTime() - start) / 1e9;
			Tally handled = workload.awaitAllHandled(Duration.ofMinutes(10));
			double handledSeconds = (System.nanoTime() - start) / 1e9;
			app.stop();
			Tally tally = workload.tally();
			List<Map<String, AttributeValue>> deadLetters = workload.deadLetters();
			Report.line(SCENARIO, run, runs, tally,
					String.format("poison %s, dead letters %d %s, written in %.1f s (2 writers), all handled %.1f s"
							+ " after the first write", workload.poisoned(), deadLetters.size(),
							deadLetters.stream().map(PoisonRecordTests::describe).toList(), writtenSeconds,
							handledSeconds));

			assertThat(workload.poisoned()).hasSize(1);
			assertThat(handled.lost()).isZero();
			assertThat(tally.orderViolations()).isZero();
			assertThat(tally.duplicates()).isZero();
			assertThat(deadLetters).hasSize(1);
			Map<String, AttributeValue> deadLetter = deadLetters.get(0);
			String poisoned = workload.poisoned().iterator().next();
			Map<String, AttributeValue> keys = deadLetter.get("keys").m();
			assertThat(keys).containsOnlyKeys("key", "seq");
			assertThat(keys.get("key").s() + "/" + keys.get("seq").n()).isEqualTo(poisoned);
			assertThat(deadLetter.get("newImage").m()).containsAllEntriesOf(keys)
				.containsEntry("poison", AttributeValue.fromBool(true));
			assertThat(deadLetter.get("table").s()).isEqualTo(CallRecorder.EVENTS);
			assertThat(deadLetter.get("eventType").s()).isEqualTo("INSERT");
			assertThat(deadLetter.get("reason").s()).isEqualTo("RETRIES_EXHAUSTED");
			assertThat(deadLetter.get("attempts").n()).isEqualTo("3");
			assertThat(deadLetter.get("exceptionClass").s()).isEqualTo(IllegalStateException.class.getName());
			assertThat(deadLetter.get("exceptionMessage").s()).isEqualTo("Poison record " + poisoned + " is never handled");
			assertThat(deadLetter.get("stackHead").s()).contains("CallRecorder.onEvent");
			assertThat(app.output()).doesNotContain("Skipping over the following data records");
		}
	}

	private static String describe(Map<String, AttributeValue> deadLetter) {
		return deadLetter.get("keys").m().get("key").s() + "/" + deadLetter.get("keys").m().get("seq").n() + " "
				+ deadLetter.get("reason").s() + " after " + deadLetter.get("attempts").n() + " attempts";
	}

}
