package io.dynamotrigger.boot;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.listener.PollingStats;
import io.dynamotrigger.listener.TriggerRegistry;
import io.dynamotrigger.test.LocalDynamoDb;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContext;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * Latency and GetRecords rate of the polling modes, side by side, on one local endpoint. Not part of the
 * test suite (surefire runs classes named {@code *Tests}); run it on its own, about 8 minutes:
 *
 * <pre>
 * mvn -B -q -pl autoconfigure -am test -Dtest=PollingBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * cat autoconfigure/target/polling-benchmark.md
 * </pre>
 *
 * For each mode, on a fresh table and application context: the GetRecords calls per second of the
 * table's one shard over {@value #REST_SECONDS} s without writes (dynamo-trigger's own count), then
 * {@value #BURST} writes back to back from one thread, then {@value #SPACED} single writes
 * {@value #SPACED_GAP_MILLIS} ms apart. Latency is from just before the PutItem request is sent to the
 * trigger's call, so it includes the write's own round trip (reported too).
 */
class PollingBenchmark {

	static final int REST_SECONDS = 60;

	static final int BURST = 2_000;

	static final int SPACED = 15;

	static final long SPACED_GAP_MILLIS = 2_000;

	private static final Duration TIMEOUT = Duration.ofMinutes(3);

	private static final List<Mode> MODES = List.of(
			new Mode("fixed 0 ms", "dynamo-trigger.polling.mode=fixed", "dynamo-trigger.polling.fixed-interval=0ms"),
			new Mode("fixed 50 ms", "dynamo-trigger.polling.mode=fixed", "dynamo-trigger.polling.fixed-interval=50ms"),
			new Mode("fixed 250 ms", "dynamo-trigger.polling.mode=fixed",
					"dynamo-trigger.polling.fixed-interval=250ms"),
			new Mode("adaptive (rest 250 ms)", "dynamo-trigger.polling.mode=adaptive",
					"dynamo-trigger.polling.rest-interval=250ms"));

	@Test
	void compareModes() throws IOException {
		List<String> rows = new ArrayList<>();
		try (LocalDynamoDb local = LocalDynamoDb.start()) {
			for (Mode mode : MODES) {
				rows.add(measure(local, mode));
			}
		}
		String table = String.join("\n", header(), String.join("\n", rows), "");
		System.out.println(table);
		Files.writeString(Path.of("target", "polling-benchmark.md"), table);
	}

	private String measure(LocalDynamoDb local, Mode mode) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		Result result = new Result();
		TestContexts.runner(table)
			.withPropertyValues("dynamo-trigger.aws.endpoint=" + local.endpoint(),
					"dynamo-trigger.aws.region=" + local.region())
			.withPropertyValues(mode.properties())
			.withUserConfiguration(ArrivalTrigger.class)
			.run((context) -> {
				Map<String, Long> arrivals = context.getBean(ArrivalTrigger.class).arrivals;
				Map<String, Long> sent = new ConcurrentHashMap<>();
				write(table, "warm-up", sent, null);
				await(arrivals, sent.keySet().size());
				result.loadBefore = load();

				Thread.sleep(2_000);
				long before = calls(context);
				Thread.sleep(TimeUnit.SECONDS.toMillis(REST_SECONDS));
				result.restCallsPerSecond = (calls(context) - before) / (double) REST_SECONDS;

				List<Long> writeNanos = new ArrayList<>();
				long burstStart = System.nanoTime();
				for (int i = 0; i < BURST; i++) {
					write(table, String.format("burst-%04d", i), sent, writeNanos);
				}
				result.burstWritesPerSecond = BURST / seconds(System.nanoTime() - burstStart);
				await(arrivals, sent.size());
				result.burst = latencies(sent, arrivals, "burst-");
				result.putRoundTrip = writeNanos;

				for (int i = 0; i < SPACED; i++) {
					Thread.sleep(SPACED_GAP_MILLIS);
					write(table, String.format("spaced-%02d", i), sent, null);
				}
				await(arrivals, sent.size());
				result.spaced = latencies(sent, arrivals, "spaced-");
				result.loadAfter = load();
			});
		return result.row(mode.name());
	}

	private static void write(ReviewsTable table, String id, Map<String, Long> sent, List<Long> roundTrips) {
		long start = System.nanoTime();
		sent.put(id, start);
		table.put("benchmark", id, 3, "x");
		if (roundTrips != null) {
			roundTrips.add(System.nanoTime() - start);
		}
	}

	private static void await(Map<String, Long> arrivals, int count) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (arrivals.size() < count) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Only " + arrivals.size() + " of " + count + " arrived");
			}
			Thread.sleep(5);
		}
	}

	private static long calls(ApplicationContext context) {
		return context.getBean(TriggerRegistry.class)
			.pollingStats()
			.shards()
			.stream()
			.mapToLong(PollingStats.ShardReads::calls)
			.sum();
	}

	private static List<Long> latencies(Map<String, Long> sent, Map<String, Long> arrivals, String prefix) {
		return sent.keySet()
			.stream()
			.filter((id) -> id.startsWith(prefix))
			.map((id) -> arrivals.get(id) - sent.get(id))
			.sorted()
			.toList();
	}

	private static double seconds(long nanos) {
		return nanos / 1e9;
	}

	private static double load() {
		return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
	}

	private static String header() {
		return String.format("| mode | burst p50 | burst p95 | spaced p50 | spaced p95 | GetRecords/s at rest "
				+ "| burst writes/s | PutItem p50 | load avg before/after |%n"
				+ "|---|---|---|---|---|---|---|---|---|");
	}

	private record Mode(String name, String... properties) {
	}

	private static final class Result {

		List<Long> burst;

		List<Long> spaced;

		List<Long> putRoundTrip;

		double restCallsPerSecond;

		double burstWritesPerSecond;

		double loadBefore;

		double loadAfter;

		String row(String mode) {
			return String.format("| %s | %s | %s | %s | %s | %.1f | %.0f | %s | %.2f / %.2f |", mode,
					millis(percentile(this.burst, 50)), millis(percentile(this.burst, 95)),
					millis(percentile(this.spaced, 50)), millis(percentile(this.spaced, 95)), this.restCallsPerSecond,
					this.burstWritesPerSecond, millis(percentile(this.putRoundTrip.stream().sorted().toList(), 50)),
					this.loadBefore, this.loadAfter);
		}

		private static long percentile(List<Long> sorted, int percent) {
			int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
			return sorted.get(Math.max(0, index));
		}

		private static String millis(long nanos) {
			return String.format("%.1f ms", nanos / 1e6);
		}

	}

	static class ArrivalTrigger {

		final Map<String, Long> arrivals = new ConcurrentHashMap<>();

		@DynamoTrigger(table = "${test.table}")
		void onReview(Review review) {
			this.arrivals.putIfAbsent(review.getReviewId(), System.nanoTime());
		}

	}

}
