package io.dynamotrigger.reliability;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.dynamotrigger.test.LocalDynamoDb;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consumer reaches the endpoint through a loopback proxy that refuses all connections for a while
 * (records keep being written straight to the endpoint); the consumer recovers by itself. The instance
 * prints its {@code dynamoTrigger} health on each change, which the run reports.
 */
class EndpointOutageTests {

	private static final String SCENARIO = "endpoint-outage";

	@Test
	void consumerRecoversByItselfAfterTheEndpointIsBackAndLosesNothing() {
		int runs = Scale.runs(1, 3);
		int records = Scale.records(400, 5000);
		int outageSeconds = Scale.outageSeconds(8, 30);
		for (int run = 1; run <= runs; run++) {
			runOnce(run, runs, records, outageSeconds);
		}
	}

	private void runOnce(int run, int runs, int records, int outageSeconds) {
		try (LocalDynamoDb moto = LocalDynamoDb.start(); Workload workload = Workload.create(moto.endpoint());
				LoopbackProxy proxy = new LoopbackProxy(moto.port());
				AppProcess app = AppProcess.start("app", proxy.endpoint(), moto.endpoint(),
						Report.log(SCENARIO, run, "app"))) {
			app.awaitOutput(AppProcess.TOOK_LEASE, 1, Duration.ofMinutes(2));
			CompletableFuture<Void> writing = workload.writeInBackground(records / 2);
			app.awaitHandled(Math.min(records / 8, 500), Duration.ofMinutes(3));

			int healthLinesBefore = healthLines(app).size();
			Map<String, Long> writtenAtCut = workload.writtenByKey();
			proxy.cut();
			long cutAt = System.nanoTime();
			AppProcess.sleep(outageSeconds * 1000L);
			// The health reads the lease table at most every 5 s and gives a read 2 s: on a loaded machine the
			// first failing read can end after a short outage, so the endpoint stays cut until DOWN is reported.
			app.awaitTrue(() -> healthLines(app).stream()
				.skip(healthLinesBefore)
				.anyMatch((line) -> line.startsWith("HEALTH DOWN")), "HEALTH DOWN during the outage", Duration.ofSeconds(20));
			List<String> healthDuringOutage = healthLines(app).subList(healthLinesBefore, healthLines(app).size());
			int upBeforeRestore = (int) healthLines(app).stream().filter((line) -> line.startsWith("HEALTH UP")).count();
			proxy.restore();
			long restoredAt = System.nanoTime();
			long restoredAtMillis = System.currentTimeMillis();
			writing.join();
			workload.write(records - records / 2);
			Tally handled = workload.awaitAllHandled(Duration.ofMinutes(5));
			double recoveredSeconds = (System.nanoTime() - restoredAt) / 1e9;
			app.awaitOutput("HEALTH UP", upBeforeRestore + 1, Duration.ofSeconds(30));
			List<String> health = healthLines(app);
			app.stop();
			Tally tally = workload.tally();
			double resumedSeconds = (workload.firstCallAfter(writtenAtCut) - restoredAtMillis) / 1e3;
			Report.line(SCENARIO, run, runs, tally, String.format(
					"outage %.1f s, first record written during it handled %.1f s after it ended, all handled %.1f s after it ended (the rest written"
							+ " meanwhile), health during outage %s, last health %s",
					(restoredAt - cutAt) / 1e9, resumedSeconds, recoveredSeconds, healthDuringOutage, health.get(health.size() - 1)));

			assertThat(handled.lost()).isZero();
			assertThat(tally.orderViolations()).isZero();
			assertThat(healthDuringOutage).anyMatch((line) -> line.startsWith("HEALTH DOWN"));
			assertThat(health.get(health.size() - 1)).startsWith("HEALTH UP");
			assertThat(app.output()).doesNotContain("Skipping over the following data records");
		}
	}

	private static List<String> healthLines(AppProcess app) {
		return app.output().lines().filter((line) -> line.startsWith("HEALTH ")).toList();
	}

}
