package io.dynamotrigger.bench;

import io.dynamotrigger.test.LocalDynamoDb;

/**
 * Runs the side-by-side benchmark on a local endpoint of its own and prints the table; see
 * docs/benchmarks.md. Options: {@link BenchOptions}.
 */
public final class BenchmarkMain {

	private BenchmarkMain() {
	}

	/**
	 * Runs the benchmark.
	 * @param args {@code --name=value} options
	 * @throws Exception if a run fails
	 */
	public static void main(String[] args) throws Exception {
		BenchOptions options = BenchOptions.parse(args);
		try (LocalDynamoDb local = LocalDynamoDb.start(); Benchmark benchmark = new Benchmark(local.endpoint(), options)) {
			BenchReport report = benchmark.run();
			System.out.println();
			System.out.println(report.table());
			if (options.out() != null) {
				report.writeChart(options.out());
				System.out.println("chart: " + options.out().resolve("bench-latency.png"));
			}
		}
		System.exit(0);
	}

}
