package io.dynamotrigger.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Runs the baseline and dynamo-trigger (in each KCL application mode asked for) against one endpoint, the
 * order rotating round by round (A/B, B/A, ...; A/B/C, B/C/A, C/A/B, ...), each on a fresh table: start with
 * a backlog waiting (start → first record, drain rate, CPU and allocation per record), then spaced single
 * writes (write → handler latency), then the heap.
 */
final class Benchmark implements AutoCloseable {

	/** The start of the names of dynamo-trigger's threads: all the OS shows of them. */
	private static final String FRAMEWORK_THREADS = "dynamo-trigger-";

	private final BenchOptions options;

	private final DynamoDbClient dynamoDb;

	private final DynamoDbAsyncClient dynamoDbAsync;

	private final DynamoDbStreamsClient streams;

	private final CloudWatchAsyncClient cloudWatch;

	private final BenchTables tables;

	private final URI endpoint;

	private final ProcessMeters meters = new ProcessMeters();

	Benchmark(URI endpoint, BenchOptions options) {
		this.endpoint = endpoint;
		this.options = options;
		StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
		this.dynamoDb = DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
			.credentialsProvider(credentials).build();
		this.dynamoDbAsync = DynamoDbAsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
			.credentialsProvider(credentials).build();
		this.streams = DynamoDbStreamsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
			.credentialsProvider(credentials).build();
		this.cloudWatch = CloudWatchAsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
			.credentialsProvider(credentials).build();
		this.tables = new BenchTables(this.dynamoDb);
	}

	BenchReport run() throws InterruptedException {
		String ratesTable = "bench-rates-" + System.currentTimeMillis();
		this.tables.create(ratesTable);
		double puts = MotoRates.putsPerSecond(this.tables, ratesTable, this.options.ratesSample());
		double getRecords = MotoRates.getRecordsPerSecond(this.dynamoDb, this.streams, ratesTable,
				this.options.ratesSample());
		List<BenchConsumer> consumers = new ArrayList<>();
		consumers.add(new BaselineConsumer(this.dynamoDb, this.dynamoDbAsync, this.streams, this.cloudWatch,
				this.options.pollIntervalMillis()));
		this.options.modes()
			.forEach((mode) -> consumers
				.add(new FrameworkConsumer(this.endpoint, this.options.pollIntervalMillis() + "ms", mode,
						this.options.fastFailover())));
		Map<String, List<Measurement>> results = new ConcurrentHashMap<>();
		for (int round = 1; round <= this.options.rounds(); round++) {
			// Each consumer goes first in a round of its own (with two: A/B, B/A, ...), so that none always meets
			// the cold JVM or follows the same one.
			List<BenchConsumer> order = new ArrayList<>(consumers);
			Collections.rotate(order, -(round - 1));
			for (BenchConsumer consumer : order) {
				String table = "bench-" + consumer.key() + "-r" + round + "-" + System.currentTimeMillis();
				System.out.printf("%s round %d: %s on %s%n", LocalTime.now(), round, consumer.name(), table);
				results.computeIfAbsent(consumer.name(), (name) -> new ArrayList<>()).add(measure(consumer, table));
			}
		}
		return new BenchReport(consumers.get(0).name(),
				consumers.subList(1, consumers.size()).stream().map(BenchConsumer::name).toList(), results, puts,
				getRecords, this.options);
	}

	private Measurement measure(BenchConsumer consumer, String table) throws InterruptedException {
		this.tables.create(table);
		for (int i = 0; i < this.options.backlog(); i++) {
			this.tables.put(table, "backlog-" + i, i);
		}
		// Read on the handler's thread at the first record, so that the other records of the first read are all
		// handled after it: read later (when this thread notices), a varying part of them would be left out.
		AtomicReference<Map<String, Long>> cpuAtFirst = new AtomicReference<>();
		AtomicReference<Map<Long, ProcessMeters.JavaThreadCpu>> frameworkCpuAtFirst = new AtomicReference<>();
		AtomicLong allocatedAtFirst = new AtomicLong();
		AtomicReference<ProcessMeters.GcTotals> collectionsAtFirst = new AtomicReference<>();
		Arrivals arrivals = new Arrivals(() -> {
			frameworkCpuAtFirst.set(this.meters.javaThreadCpu(FRAMEWORK_THREADS));
			collectionsAtFirst.set(this.meters.collections());
			cpuAtFirst.set(this.meters.cpuNanos());
			allocatedAtFirst.set(this.meters.allocatedBytes());
		});
		long start = System.nanoTime();
		consumer.start(table, arrivals);
		try {
			require(arrivals.awaitDistinct(1, 120_000), consumer, "no first record within 120 s");
			require(arrivals.awaitDistinct(this.options.backlog(), 600_000), consumer, "backlog not drained");
			int drained = this.options.backlog() - 1;
			Map<String, Long> cpuByThread = ProcessMeters.cpuNanosByThreadBetween(cpuAtFirst.get(),
					this.meters.cpuNanos());
			double cpuMicros = cpuByThread.values().stream().mapToLong(Long::longValue).sum() / 1000.0
					/ Math.max(drained, 1);
			double allocated = (this.meters.allocatedBytes() - allocatedAtFirst.get()) / (double) Math.max(drained, 1);
			double drainSeconds = (arrivals.lastNanos() - arrivals.firstNanos()) / 1e9;
			printThreads(consumer, cpuByThread, drained, drainSeconds,
					this.meters.collections().since(collectionsAtFirst.get()));
			printFrameworkThreads(table, frameworkCpuAtFirst.get(), this.meters.javaThreadCpu(FRAMEWORK_THREADS),
					drained);
			double startToFirst = (arrivals.firstNanos() - start) / 1e9;

			Map<String, Long> written = new ConcurrentHashMap<>();
			for (int i = 0; i < this.options.spaced(); i++) {
				String id = "spaced-" + i;
				written.put(id, System.nanoTime());
				this.tables.put(table, id, i);
				Thread.sleep(this.options.intervalMillis());
			}
			require(arrivals.awaitDistinct(this.options.backlog() + this.options.spaced(), 120_000), consumer,
					"spaced writes not all handled");
			List<Double> latencies = written.entrySet()
				.stream()
				.map((entry) -> (arrivals.arrivalOf(entry.getKey()) - entry.getValue()) / 1e6)
				.toList();
			long heap = this.meters.heapAfterGc();
			return new Measurement(consumer.name(), startToFirst,
					(drainSeconds > 0) ? (this.options.backlog() - 1) / drainSeconds : Double.NaN, cpuMicros, allocated,
					latencies, heap, arrivals.calls() - arrivals.distinct());
		}
		finally {
			consumer.stop();
		}
	}

	/**
	 * Prints where the CPU time of a drain went: per record, by thread name with its digits left out (threads
	 * of one pool together), the largest first.
	 */
	private void printThreads(BenchConsumer consumer, Map<String, Long> cpuByThread, int drained,
			double drainSeconds, ProcessMeters.GcTotals collections) {
		Map<String, String> names = this.meters.threadNames();
		Map<String, Long> byName = new TreeMap<>();
		Map<String, Integer> threads = new TreeMap<>();
		cpuByThread.forEach((thread, nanos) -> {
			String name = names.getOrDefault(thread, "(ended)").replaceAll("[0-9]+", "#");
			byName.merge(name, nanos, Long::sum);
			threads.merge(name, 1, Integer::sum);
		});
		StringBuilder out = new StringBuilder(String.format("%s: drain %.0f records/s, CPU per record %.2f µs (load"
				+ " average %.2f; %d garbage collections, %d ms), by thread:", consumer.name(), drained / drainSeconds,
				cpuByThread.values().stream().mapToLong(Long::longValue).sum() / 1000.0 / Math.max(drained, 1),
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), collections.count(),
				collections.millis()));
		byName.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.filter((entry) -> entry.getValue() > 0)
			.limit(14)
			.forEach((entry) -> out.append(String.format("%n  %-18s %3d  %7.2f", entry.getKey(),
					threads.get(entry.getKey()), entry.getValue() / 1000.0 / Math.max(drained, 1))));
		System.out.println(out);
	}

	/**
	 * Prints the CPU per record of dynamo-trigger's own threads by their full names (the OS knows only
	 * {@value #FRAMEWORK_THREADS}), the table's name and the digits left out: threads of one pool together.
	 */
	private static void printFrameworkThreads(String table, Map<Long, ProcessMeters.JavaThreadCpu> before,
			Map<Long, ProcessMeters.JavaThreadCpu> after, int drained) {
		Map<String, Long> byName = new TreeMap<>();
		Map<String, Integer> threads = new TreeMap<>();
		after.forEach((id, thread) -> {
			ProcessMeters.JavaThreadCpu earlier = before.get(id);
			long nanos = thread.nanos() - ((earlier != null) ? earlier.nanos() : 0);
			String name = thread.name().replace(table, "<table>").replaceAll("[0-9]+", "#");
			byName.merge(name, nanos, Long::sum);
			threads.merge(name, 1, Integer::sum);
		});
		StringBuilder out = new StringBuilder("  of which " + FRAMEWORK_THREADS + "… by Java name:");
		byName.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.filter((entry) -> entry.getValue() > 0)
			.forEach((entry) -> out.append(String.format("%n    %-40s %3d  %7.2f", entry.getKey(),
					threads.get(entry.getKey()), entry.getValue() / 1000.0 / Math.max(drained, 1))));
		if (byName.values().stream().anyMatch((nanos) -> nanos > 0)) {
			System.out.println(out);
		}
	}

	private static void require(boolean condition, BenchConsumer consumer, String problem) {
		if (!condition) {
			throw new IllegalStateException(consumer.name() + ": " + problem);
		}
	}

	@Override
	public void close() {
		this.dynamoDb.close();
		this.dynamoDbAsync.close();
		this.streams.close();
		this.cloudWatch.close();
	}

}
