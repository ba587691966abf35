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
		keepAsyncTasksOnPooledThreads();
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

	/**
	 * On 2 CPUs the common fork-join pool has one worker, and {@code CompletableFuture} then runs each async
	 * task on a thread of its own, which ends with the task: so the baseline's GetRecords calls (the stock
	 * adapter runs each with {@code supplyAsync}). Allocation is read per live thread ({@link ProcessMeters}),
	 * so their bytes, about 3 KiB per record, would not count. With two workers they run on threads that stay,
	 * as on a machine with 3 CPUs or more. Must run before anything uses the pool.
	 */
	private static void keepAsyncTasksOnPooledThreads() {
		String parallelism = "java.util.concurrent.ForkJoinPool.common.parallelism";
		if (System.getProperty(parallelism) == null && Runtime.getRuntime().availableProcessors() <= 2) {
			System.setProperty(parallelism, "2");
		}
	}

}
