package io.dynamotrigger.reliability;

import java.time.Duration;
import java.util.List;

import io.dynamotrigger.test.LocalDynamoDb;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trigger takes 50 ms per record (75 ms in the profile) while records arrive faster (25/s) for 12 s
 * (2 minutes in the profile), so the consumer falls behind for minutes: it keeps its lease all along, the
 * {@code dynamo.trigger.lag} gauge rises and falls back to 0 once it has caught up, and nothing is lost.
 */
class SlowHandlerTests {

	private static final String SCENARIO = "slow-handler";

	@Test
	void consumerKeepsItsLeaseWhileBehindAndTheLagFallsBackOnceItCaughtUp() {
		int runs = Scale.runs(1, 1);
		int records = Scale.records(300, 3_000);
		int handlerMillis = Scale.LONG ? 75 : 50;
		int perSecond = 25;
		for (int run = 1; run <= runs; run++) {
			runOnce(run, runs, records, handlerMillis, perSecond);
		}
	}

	private void runOnce(int run, int runs, int records, int handlerMillis, int perSecond) {
		try (LocalDynamoDb moto = LocalDynamoDb.start(); Workload workload = Workload.create(moto.endpoint());
				AppProcess app = AppProcess.start("app", moto.endpoint(), moto.endpoint(),
						Report.log(SCENARIO, run, "app"), "--reliability.handler-delay=" + handlerMillis + "ms")) {
			app.awaitOutput(AppProcess.TOOK_LEASE, 1, Duration.ofMinutes(2));
			String owner = workload.leaseOwner();
			long start = System.nanoTime();
			workload.writeAtRate(records, perSecond);
			long lastWrite = System.nanoTime();
			Tally handled = workload.awaitAllHandled(Duration.ofMinutes(15));
			double caughtUpSeconds = (System.nanoTime() - lastWrite) / 1e9;
			app.awaitTrue(() -> lastLag(app).lagMillis() == 0, "lag 0", Duration.ofSeconds(30));
			double lagZeroSeconds = (System.nanoTime() - lastWrite) / 1e9;
			String ownerAfter = workload.leaseOwner();
			List<AppProcess.LagReport> reports = app.lagReports();
			app.stop();
			Tally tally = workload.tally();
			long maxLag = reports.stream().mapToLong(AppProcess.LagReport::lagMillis).max().orElse(0);
			List<AppProcess.LagReport> sinceLease = reports.subList(indexOfFirstLease(reports), reports.size());
			Report.line(SCENARIO, run, runs, tally, String.format(
					"handler %d ms per record, writes %d/s for %.1f s, max lag %.1f s, all handled %.1f s and lag"
							+ " back to 0 %.1f s after the last write, leases held %s, lease owner unchanged %s,"
							+ " leases taken %d, moved %d",
					handlerMillis, perSecond, (lastWrite - start) / 1e9, maxLag / 1e3, caughtUpSeconds, lagZeroSeconds,
					sinceLease.stream().map(AppProcess.LagReport::leases).distinct().toList(), owner.equals(ownerAfter),
					app.occurrences(AppProcess.TOOK_LEASE), app.occurrences(AppProcess.LEASE_MOVED)));

			assertThat(handled.lost()).isZero();
			assertThat(tally.orderViolations()).isZero();
			assertThat(tally.duplicates()).isZero();
			assertThat(ownerAfter).isEqualTo(owner);
			assertThat(app.occurrences(AppProcess.TOOK_LEASE)).isEqualTo(1);
			assertThat(app.occurrences(AppProcess.LEASE_MOVED)).isZero();
			assertThat(app.output()).doesNotContain("lost lease")
				.doesNotContain("Skipping over the following data records");
			assertThat(sinceLease).extracting(AppProcess.LagReport::leases).containsOnly(1);
			// Keeping up, the lag stays within a read or two (creation times have second precision).
			assertThat(maxLag).isGreaterThan(2_000);
			assertThat(reports.get(reports.size() - 1).lagMillis()).isZero();
		}
	}

	private static AppProcess.LagReport lastLag(AppProcess app) {
		List<AppProcess.LagReport> reports = app.lagReports();
		return reports.isEmpty() ? new AppProcess.LagReport(-1, 0) : reports.get(reports.size() - 1);
	}

	private static int indexOfFirstLease(List<AppProcess.LagReport> reports) {
		for (int i = 0; i < reports.size(); i++) {
			if (reports.get(i).leases() > 0) {
				return i;
			}
		}
		throw new AssertionError("The instance never reported a held lease: " + reports);
	}

}
