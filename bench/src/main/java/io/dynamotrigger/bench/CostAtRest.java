package io.dynamotrigger.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import io.dynamotrigger.listener.TriggerRegistry;
import io.dynamotrigger.status.TriggerStatus;
import io.dynamotrigger.test.LocalDynamoDb;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What triggered tables cost while nothing is written to them: for each number of tables and each KCL
 * application mode ({@code per-table}: a KCL application per table; {@code shared}: one for all tables), an
 * application with one trigger per idle table at the defaults ({@code fast-failover=false}), measured over a
 * rest window once every table's consumer holds its lease and has handled one record. Prints one row per run;
 * see docs/benchmarks.md. Options: {@code --tables=1,10 --modes=per-table,shared --rest-seconds=60
 * --settle-seconds=10 --start-timeout-seconds=300}.
 */
public final class CostAtRest {

	private static final Map<String, String> DEFAULTS = Map.of("tables", "1,10", "modes", "per-table,shared",
			"rest-seconds", "60",
			"settle-seconds", "10", "start-timeout-seconds", "300");

	private final URI endpoint;

	private final DynamoDbClient dynamoDb;

	private final Duration rest;

	private final Duration settle;

	private final Duration startTimeout;

	private final ProcessMeters meters = new ProcessMeters();

	private final com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	CostAtRest(LocalDynamoDb local, Duration rest, Duration settle, Duration startTimeout) {
		this.endpoint = local.endpoint();
		this.dynamoDb = local.configure(DynamoDbClient.builder()).build();
		this.rest = rest;
		this.settle = settle;
		this.startTimeout = startTimeout;
	}

	/**
	 * Runs the benchmark.
	 * @param args {@code --name=value} options
	 * @throws Exception if a run fails
	 */
	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		List<Integer> counts = new ArrayList<>();
		for (String count : options.get("tables").split(",")) {
			counts.add(Integer.parseInt(count.trim()));
		}
		try (LocalDynamoDb local = LocalDynamoDb.start()) {
			CostAtRest bench = new CostAtRest(local, seconds(options, "rest-seconds"), seconds(options, "settle-seconds"),
					seconds(options, "start-timeout-seconds"));
			System.out.println("threads before any application: " + ManagementFactory.getThreadMXBean().getThreadCount());
			List<RestMeasurement> runs = new ArrayList<>();
			for (int count : counts) {
				for (String mode : options.get("modes").split(",")) {
					runs.add(bench.measure(count, mode.trim()));
					// Printed after each run, so that a long run that fails later keeps what came before.
					System.out.println();
					System.out.println(new CostAtRestReport(runs).table());
				}
			}
		}
		System.exit(0);
	}

	/**
	 * Starts an application with triggers on {@code count} new idle tables, lets it rest and stops it.
	 * @param count tables
	 * @param mode the KCL application mode, {@code per-table} or {@code shared}
	 * @return what was measured
	 * @throws InterruptedException if interrupted
	 */
	RestMeasurement measure(int count, String mode) throws InterruptedException {
		BenchTables tables = new BenchTables(this.dynamoDb);
		String run = ("shared".equals(mode) ? "s" : "") + count;
		List<String> names = IntStream.rangeClosed(1, count).mapToObj((i) -> "idle" + run + "-" + i).toList();
		names.forEach(tables::create);
		Set<String> before = tableNames();
		Arrivals arrivals = new Arrivals(() -> {
		});
		long started = System.nanoTime();
		ConfigurableApplicationContext context = new SpringApplicationBuilder(IdleTablesApplication.class)
			.web(WebApplicationType.NONE)
			.initializers((app) -> app.getBeanFactory().registerSingleton("arrivals", arrivals))
			.properties("bench.tables=" + String.join(",", names), "dynamo-trigger.application-name=cost" + run,
					"dynamo-trigger.kcl.application-mode=" + mode,
					"spring.main.banner-mode=off", "logging.level.root=WARN", "dynamo-trigger.aws.endpoint=" + this.endpoint,
					"dynamo-trigger.aws.region=us-east-1", "dynamo-trigger.fast-failover=false")
			.run();
		try {
			for (int i = 0; i < count; i++) {
				tables.put(names.get(i), "first", i);
			}
			awaitFirstRecords(arrivals, names);
			List<Double> startToFirst = names.stream()
				.map((name) -> (arrivals.arrivalOf(name) - started) / 1e9)
				.toList();
			awaitLeases(context.getBean(TriggerRegistry.class), count);
			Thread.sleep(this.settle.toMillis());

			RequestCounter requests = context.getBean(RequestCounter.class);
			RequestCounter.RequestCounts requestsBefore = requests.snapshot();
			long cpuBefore = this.os.getProcessCpuTime();
			long windowStart = System.nanoTime();
			Thread.sleep(this.rest.toMillis());
			long cpuAfter = this.os.getProcessCpuTime();
			long windowNanos = System.nanoTime() - windowStart;
			RequestCounter.RequestCounts atRest = requests.snapshot().since(requestsBefore);
			int threads = ManagementFactory.getThreadMXBean().getThreadCount();
			long heap = this.meters.heapAfterGc();
			List<String> created = tableNames().stream().filter((name) -> !before.contains(name)).sorted().toList();
			String loadAverage = loadAverage();

			long closing = System.nanoTime();
			context.close();
			long stopNanos = System.nanoTime() - closing;
			return new RestMeasurement(mode, count, threads, heap, 100.0 * (cpuAfter - cpuBefore) / windowNanos, created,
					startToFirst, stopNanos / 1e9, windowNanos / 1e9, atRest, loadAverage);
		}
		finally {
			// Closes the application if the run failed; a closed context ignores it.
			context.close();
		}
	}

	private void awaitFirstRecords(Arrivals arrivals, List<String> names) throws InterruptedException {
		long deadline = System.nanoTime() + this.startTimeout.toNanos();
		while (arrivals.distinct() < names.size()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("No record reached the triggers of "
						+ names.stream().filter((name) -> arrivals.arrivalOf(name) == null).toList() + " within "
						+ this.startTimeout + "; raise --start-timeout-seconds");
			}
			Thread.sleep(50);
		}
	}

	/** Waits until every table's consumer holds the lease of its table's shard. */
	private void awaitLeases(TriggerRegistry registry, int count) throws InterruptedException {
		long deadline = System.nanoTime() + this.startTimeout.toNanos();
		while (registry.status().stream().filter((status) -> !status.shards().isEmpty()).count() < count) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Not every consumer holds a lease within " + this.startTimeout + ": "
						+ registry.status().stream().filter((status) -> status.shards().isEmpty()).map(TriggerStatus::table)
							.toList());
			}
			Thread.sleep(200);
		}
	}

	private Set<String> tableNames() {
		Set<String> names = new LinkedHashSet<>();
		this.dynamoDb.listTablesPaginator().tableNames().forEach(names::add);
		return names;
	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
		}
		catch (IOException ex) {
			return "n/a";
		}
	}

	private static Map<String, String> options(String... args) {
		return BenchArguments.parse(DEFAULTS, args);
	}

	private static Duration seconds(Map<String, String> options, String name) {
		return Duration.ofMillis(Math.round(Double.parseDouble(options.get(name)) * 1000));
	}

}
