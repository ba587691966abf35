package io.dynamotrigger.bench;

import java.nio.file.Files;
import java.nio.file.Path;

import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A tiny run of the benchmark with dynamo-trigger in both KCL application modes, to keep the harness compiling
 * and working; its figures mean nothing.
 */
@LocalDynamoDbTest
class BenchmarkSmokeTests {

	@Test
	void tinyRunPrintsEveryFigureForTheBaselineAndBothModesAndDrawsTheChart(LocalDynamoDb local, @TempDir Path out)
			throws Exception {
		BenchOptions options = BenchOptions.parse("--rounds=1", "--backlog=20", "--spaced=10", "--interval-ms=10",
				"--rates-sample=20", "--modes=per-table,shared");
		BenchReport report;
		try (Benchmark benchmark = new Benchmark(local.endpoint(), options)) {
			report = benchmark.run();
		}
		report.writeChart(out);
		System.out.println(report.table());

		assertThat(report.table())
			.contains("| figure | hand-written KCL | dynamo-trigger (per-table) | ratio | dynamo-trigger (shared) | ratio |"
					+ " dynamo-trigger (shared) / dynamo-trigger (per-table) |")
			.contains("| latency p50 (ms) |")
			.contains("| drain (records/s) |")
			.contains("| start → first record (s) |")
			.contains("| duplicate calls | 0.00 | 0.00 | - | 0.00 | - | - |")
			.contains("local endpoint alone:");
		for (String mode : new String[] { "per-table", "shared" }) {
			double[] latencies = report.latencies("dynamo-trigger (" + mode + ")").values();
			assertThat(latencies).as(mode).hasSize(10);
			assertThat(latencies[0]).as(mode).isPositive();
		}
		assertThat(Files.size(out.resolve("bench-latency.png"))).isPositive();
	}

	@Test
	void anUnknownModeIsRefusedNamingTheModes() {
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--modes=shared,per-tabel"))
			.withMessageContaining("--modes=shared,per-tabel")
			.withMessageContaining("[per-table, shared]");
	}

	@Test
	void fastFailoverIsTrueByDefaultAndTakesTrueOrFalseOnly() {
		assertThat(BenchOptions.parse().fastFailover()).isTrue();
		assertThat(BenchOptions.parse("--fast-failover=false").fastFailover()).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--fast-failover=no"))
			.withMessageContaining("--fast-failover=no: must be true or false");
	}

}
