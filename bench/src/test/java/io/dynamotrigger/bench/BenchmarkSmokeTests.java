package io.dynamotrigger.bench;

import java.nio.file.Files;
import java.nio.file.Path;

import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tiny run of the benchmark, to keep the harness compiling and working; its figures mean nothing.
 */
@LocalDynamoDbTest
class BenchmarkSmokeTests {

	@Test
	void tinyRunPrintsEveryFigureForBothConsumersAndDrawsTheChart(LocalDynamoDb local, @TempDir Path out)
			throws Exception {
		BenchOptions options = BenchOptions.parse("--rounds=1", "--backlog=20", "--spaced=10", "--interval-ms=10",
				"--rates-sample=20");
		BenchReport report;
		try (Benchmark benchmark = new Benchmark(local.endpoint(), options)) {
			report = benchmark.run();
		}
		report.writeChart(out);
		System.out.println(report.table());

		assertThat(report.table()).contains("| figure | hand-written KCL | dynamo-trigger | ratio |")
			.contains("| latency p50 (ms) |")
			.contains("| drain (records/s) |")
			.contains("| start → first record (s) |")
			.contains("| duplicate calls | 0.00 | 0.00 |")
			.contains("local endpoint alone:");
		double[] latencies = report.latencies("dynamo-trigger").values();
		assertThat(latencies).hasSize(10);
		assertThat(latencies[0]).isPositive();
		assertThat(Files.size(out.resolve("bench-latency.png"))).isPositive();
	}

}
