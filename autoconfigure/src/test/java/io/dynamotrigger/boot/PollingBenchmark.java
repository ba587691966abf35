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
import io.dynamotrigger.kcl.polling.PollingStats;
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
 * {@value #SPACED_GAP_MILLIS} ms apart. Latency ends at the trigger's call and starts either when the
 * PutItem call returned (the write acknowledged) or just before it was sent; the record becomes readable
 * somewhere in between, so the two bracket the trigger's own delay.
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
				Map<String, Long> acknowledged = new ConcurrentHashMap<>();
				write(table, "warm-up", sent, acknowledged);
				await(arrivals, sent.size());
				result.loadBefore = load();

				Thread.sleep(2_000);
				long before = calls(context);
				Thread.sleep(TimeUnit.SECONDS.toMillis(REST_SECONDS));
				result.restCallsPerSecond = (calls(context) - before) / (double) REST_SECONDS;

				long burstStart = System.nanoTime();
				long callsBefore = calls(context);
				for (int i = 0; i < BURST; i++) {
					write(table, String.format("burst-%04d", i), sent, acknowledged);
				}
				result.burstWritesPerSecond = BURST / seconds(System.nanoTime() - burstStart);
				await(arrivals, sent.size());
				result.burstCallsPerSecond = (calls(context) - callsBefore) / seconds(System.nanoTime() - burstStart);
				result.burstFromAck = latencies(acknowledged, arrivals, "burst-");
				result.burstFromSend = latencies(sent, arrivals, "burst-");
				result.putRoundTrip = latencies(sent, acknowledged, "burst-");

				for (int i = 0; i < SPACED; i++) {
					Thread.sleep(SPACED_GAP_MILLIS);
					write(table, String.format("spaced-%02d", i), sent, acknowledged);
				}
				await(arrivals, sent.size());
				result.spacedFromAck = latencies(acknowledged, arrivals, "spaced-");
				result.spacedFromSend = latencies(sent, arrivals, "spaced-");
				result.loadAfter = load();
			});
		return result.row(mode.name());
	}

	private static void write(ReviewsTable table, String id, Map<String, Long> sent,
			Map<String, Long> acknowledged) {
		sent.put(id, System.nanoTime());
		table.put("benchmark", id, 3, "x");
		acknowledged.put(id, System.nanoTime());
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

	private static List<Long> latencies(Map<String, Long> from, Map<String, Long> to, String prefix) {
		return from.keySet()
			.stream()
			.filter((id) -> id.startsWith(prefix))
			.map((id) -> to.get(id) - from.get(id))
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
		return String.format("| mode | burst, from ack p50 / p95 | burst, from send p50 / p95 "
				+ "| spaced, from ack p50 / p95 | spaced, from send p50 / p95 | GetRecords/s at rest "
				+ "| GetRecords/s in burst | burst writes/s, PutItem p50 | load avg before / after |%n"
				+ "|---|---|---|---|---|---|---|---|---|");
	}

	private record Mode(String name, String... properties) {
	}

	private static final class Result {

		List<Long> burstFromAck;

		List<Long> burstFromSend;

		List<Long> spacedFromAck;

		List<Long> spacedFromSend;

		List<Long> putRoundTrip;

		double restCallsPerSecond;

		double burstCallsPerSecond;

		double burstWritesPerSecond;

		double loadBefore;

		double loadAfter;

		String row(String mode) {
			return String.format("| %s | %s | %s | %s | %s | %.1f | %.0f | %.0f, %.1f ms | %.2f / %.2f |", mode,
					p50p95(this.burstFromAck), p50p95(this.burstFromSend), p50p95(this.spacedFromAck),
					p50p95(this.spacedFromSend), this.restCallsPerSecond, this.burstCallsPerSecond,
					this.burstWritesPerSecond, percentile(this.putRoundTrip, 50) / 1e6, this.loadBefore,
					this.loadAfter);
		}

		private static String p50p95(List<Long> sorted) {
			return String.format("%.1f / %.1f ms", percentile(sorted, 50) / 1e6, percentile(sorted, 95) / 1e6);
		}

		private static long percentile(List<Long> sorted, int percent) {
			int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
			return sorted.get(Math.max(0, index));
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
