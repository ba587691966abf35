package io.dynamotrigger.reliability;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.dynamotrigger.test.LocalDynamoDb;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One instance is stopped with SIGTERM while records flow, records keep coming while it is down, and it is
 * started again: it resumes at its checkpoint.
 */
class GracefulRestartTests {

	private static final String SCENARIO = "graceful-restart";

	@Test
	void restartedInstanceResumesAtItsCheckpointWithoutLossOrDuplicates() {
		int runs = Scale.runs(1, 3);
		int records = Scale.records(400, 5000);
		for (int run = 1; run <= runs; run++) {
			runOnce(run, runs, records);
		}
	}

	private void runOnce(int run, int runs, int records) {
		try (LocalDynamoDb moto = LocalDynamoDb.start(); Workload workload = Workload.create(moto.endpoint())) {
			double stopSeconds;
			try (AppProcess before = AppProcess.start("before", moto.endpoint(), moto.endpoint(),
					Report.log(SCENARIO, run, "before"))) {
				before.awaitOutput(AppProcess.TOOK_LEASE, 1, Duration.ofMinutes(2));
				CompletableFuture<Void> writing = workload.writeInBackground(records / 2);
				before.awaitHandled(Math.min(records / 4, 1000), Duration.ofMinutes(3));
				long stoppingAt = System.nanoTime();
				before.stop();
				stopSeconds = (System.nanoTime() - stoppingAt) / 1e9;
				writing.join();
			}
			workload.write(records - records / 2);
			try (AppProcess after = AppProcess.start("after", moto.endpoint(), moto.endpoint(),
					Report.log(SCENARIO, run, "after"))) {
				Tally handled = workload.awaitAllHandled(Duration.ofMinutes(5));
				after.stop();
				Tally tally = workload.tally();
				Report.line(SCENARIO, run, runs, tally, String.format("graceful stop %.1f s", stopSeconds));

				assertThat(handled.lost()).isZero();
				assertThat(tally.orderViolations()).isZero();
				assertThat(tally.duplicates()).isZero();
				assertThat(after.output()).doesNotContain("Skipping over the following data records");
			}
		}
	}

}
