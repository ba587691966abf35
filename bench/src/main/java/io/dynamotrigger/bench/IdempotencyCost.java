package io.dynamotrigger.bench;

import java.net.URI;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.test.LocalDynamoDb;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The per-record cost of an idempotent trigger, side by side with the same trigger not idempotent, in one run
 * on one local endpoint (moto), rounds alternating (plain/idempotent, idempotent/plain, ...), each round on a
 * table of its own: the drain rate of a backlog written before the consumer starts (first to last call), then
 * the put → handler latency of records written one at a time (20 a second), the requests to the idempotency
 * table per record (counted on the wire, by operation) and the mean latency of the claim and complete requests (the trigger's {@code dynamo.trigger.idempotency.store} timers).
 * Options: {@code --rounds=N} (default 2, at least 2), {@code --records=N} spaced records per round (default
 * 200), {@code --backlog=N} (default 500), {@code --mode=per-table|shared} the KCL application mode (default
 * {@code per-table}, the mode of the runs in docs/benchmarks.md). Each round's application has a name of its own
 * (the table's), so that no round finds an earlier round's leases.
 */
public final class IdempotencyCost {

	private static final String IDEMPOTENCY_TABLE = "bench-idempotency";

	private IdempotencyCost() {
	}

	/**
	 * Runs the comparison and prints the table.
	 * @param args {@code --name=value} options
	 * @throws Exception if a run fails
	 */
	public static void main(String[] args) throws Exception {
		Map<String, String> options = new TreeMap<>();
		// exec-maven-plugin passes -Dbench.args as one argument
		for (String arg : String.join(" ", args).split("\\s+")) {
			if (arg.startsWith("--") && arg.contains("=")) {
				options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
			}
		}
		int rounds = Math.max(2, Integer.parseInt(options.getOrDefault("rounds", "2")));
		int records = Integer.parseInt(options.getOrDefault("records", "200"));
		int backlog = Integer.parseInt(options.getOrDefault("backlog", "500"));
		String mode = options.getOrDefault("mode", "per-table");
		Map<Boolean, List<Round>> results = new TreeMap<>();
		try (LocalDynamoDb local = LocalDynamoDb.start();
				DynamoDbClient writer = local.configure(DynamoDbClient.builder()).build()) {
			BenchTables tables = new BenchTables(writer);
			for (int round = 1; round <= rounds; round++) {
				for (boolean idempotent : (round % 2 == 1) ? new boolean[] { false, true } : new boolean[] { true, false }) {
					String table = "bench-idem-r" + round + "-" + (idempotent ? "on" : "off");
					System.out.printf("%s round %d: %s on %s (%s)%n", LocalTime.now(), round,
							idempotent ? "idempotent" : "plain", table, mode);
					tables.create(table);
					results.computeIfAbsent(idempotent, (key) -> new ArrayList<>())
						.add(measure(local.endpoint(), tables, table, idempotent, records, backlog, mode));
				}
			}
		}
		System.out.println();
		System.out.println(report(results.get(false), results.get(true), records, backlog));
		System.exit(0);
	}

	private static Round measure(URI endpoint, BenchTables tables, String table, boolean idempotent, int records,
			int backlog, String mode) throws InterruptedException {
		Arrivals arrivals = new Arrivals(() -> {
		});
		RequestTally requests = new RequestTally();
		for (int i = 1; i <= backlog; i++) {
			tables.put(table, "backlog-" + i, i);
		}
		ConfigurableApplicationContext context = new SpringApplicationBuilder(CostApplication.class)
			.web(WebApplicationType.NONE)
			.initializers((initializing) -> {
				initializing.getBeanFactory().registerSingleton("arrivals", arrivals);
				initializing.getBeanFactory().registerSingleton("requestTally", requests);
			})
			.properties("bench.table=" + table, "spring.application.name=bench-idempotency-" + table,
					"dynamo-trigger.kcl.application-mode=" + mode,
					"spring.main.banner-mode=off", "logging.level.root=WARN", "dynamo-trigger.aws.endpoint=" + endpoint,
					"dynamo-trigger.aws.region=us-east-1", "dynamo-trigger.fast-failover=true",
					"dynamo-trigger.polling.mode=fixed", "dynamo-trigger.polling.fixed-interval=50ms",
					"dynamo-trigger.idempotency.table-name=" + IDEMPOTENCY_TABLE,
					"dynamo-trigger.triggers.bench.idempotent=" + idempotent)
			.run();
		try {
			require(arrivals.awaitDistinct(backlog, 600_000), "backlog not drained");
			double drainPerSecond = (backlog - 1) / ((arrivals.lastNanos() - arrivals.firstNanos()) / 1e9);
			Map<String, Long> requestsBefore = requests.snapshot();
			long callsBefore = arrivals.calls();
			Map<String, Long> putAt = new ConcurrentHashMap<>();
			for (int i = 1; i <= records; i++) {
				String id = "spaced-" + i;
				putAt.put(id, System.nanoTime());
				tables.put(table, id, i);
				Thread.sleep(50);
			}
			require(arrivals.awaitDistinct(backlog + records, 120_000), "spaced records not all handled");
			List<Double> latencies = new ArrayList<>();
			putAt.forEach((id, at) -> latencies.add((arrivals.arrivalOf(id) - at) / 1e6));
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			return new Round(new Percentiles(latencies), arrivals.calls() - (int) callsBefore,
					since(requests.snapshot(), requestsBefore), drainPerSecond, meanMillis(meters, "claim"),
					meanMillis(meters, "complete"));
		}
		finally {
			context.close();
		}
	}

	private static double meanMillis(MeterRegistry meters, String operation) {
		Timer timer = meters.find("dynamo.trigger.idempotency.store")
			.tags("operation", operation, "result", "success")
			.timer();
		return (timer != null && timer.count() > 0) ? timer.mean(TimeUnit.MILLISECONDS)
				: Double.NaN;
	}

	private static Map<String, Long> since(Map<String, Long> now, Map<String, Long> before) {
		Map<String, Long> delta = new TreeMap<>();
		now.forEach((operation, count) -> {
			long added = count - before.getOrDefault(operation, 0L);
			if (added > 0) {
				delta.put(operation, added);
			}
		});
		return delta;
	}

	private static void require(boolean condition, String problem) {
		if (!condition) {
			throw new IllegalStateException(problem);
		}
	}

	static String report(List<Round> plain, List<Round> idempotent, int records, int backlog) {
		StringBuilder table = new StringBuilder();
		table.append(String.format("Idempotency cost per record (%d rounds each; a backlog of %d, then %d records"
				+ " 20/s; medians of the rounds)%n", plain.size(), backlog, records));
		table.append(String.format("%-46s %14s %14s%n", "", "plain", "idempotent"));
		row(table, "put -> handler p50 (ms)", plain, idempotent, (round) -> round.latency().at(50));
		row(table, "put -> handler p95 (ms)", plain, idempotent, (round) -> round.latency().at(95));
		row(table, "put -> handler p99 (ms)", plain, idempotent, (round) -> round.latency().at(99));
		row(table, "drain (records/s)", plain, idempotent, Round::drainPerSecond);
		row(table, "idempotency-table requests per record", plain, idempotent,
				(round) -> round.requests().values().stream().mapToLong(Long::longValue).sum() / (double) round.calls());
		row(table, "claim request mean (ms)", plain, idempotent, Round::claimMillis);
		row(table, "complete request mean (ms)", plain, idempotent, Round::completeMillis);
		for (int i = 0; i < idempotent.size(); i++) {
			table.append(String.format("idempotent round %d requests (spaced records, %d calls): %s%n", i + 1,
							idempotent.get(i).calls(), idempotent.get(i).requests()));
		}
		return table.toString();
	}

	private static void row(StringBuilder table, String label, List<Round> plain, List<Round> idempotent,
			ToDoubleFunction<Round> value) {
		table.append(String.format("%-46s %14.2f %14.2f%n", label, median(plain, value), median(idempotent, value)));
	}

	private static double median(List<Round> rounds, ToDoubleFunction<Round> value) {
		return Percentiles.median(rounds.stream().map(value::applyAsDouble).toList());
	}

	/**
	 * One round of one mode.
	 */
	record Round(Percentiles latency, int calls, Map<String, Long> requests, double drainPerSecond, double claimMillis,
			double completeMillis) {

	}

	/**
	 * Counts the requests to the idempotency table on the wire, by operation (retries included).
	 */
	static final class RequestTally implements ExecutionInterceptor {

		private final Map<String, LongAdder> byOperation = new ConcurrentHashMap<>();

		@Override
		public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
			String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
			if (isIdempotencyTable(context.request())) {
				this.byOperation.computeIfAbsent(operation, (key) -> new LongAdder()).increment();
			}
		}

		private static boolean isIdempotencyTable(SdkRequest request) {
			if (request.getValueForField("TableName", String.class).filter(IDEMPOTENCY_TABLE::equals).isPresent()) {
				return true;
			}
			return request.getValueForField("RequestItems", Map.class)
				.filter((items) -> items.containsKey(IDEMPOTENCY_TABLE))
				.isPresent();
		}

		Map<String, Long> snapshot() {
			Map<String, Long> counts = new TreeMap<>();
			this.byOperation.forEach((operation, count) -> counts.put(operation, count.sum()));
			return counts;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class CostApplication {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean(destroyMethod = "close")
		DynamoDbClient dynamoDbClient(RequestTally requestTally,
				@Value("${dynamo-trigger.aws.endpoint}") URI endpoint) {
			return DynamoDbClient.builder()
				.endpointOverride(endpoint)
				.region(Region.US_EAST_1)
				.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
				.overrideConfiguration((config) -> config.addExecutionInterceptor(requestTally))
				.build();
		}

		@Bean
		CostTrigger costTrigger(Arrivals arrivals) {
			return new CostTrigger(arrivals);
		}

	}

	static final class CostTrigger {

		private final Arrivals arrivals;

		CostTrigger(Arrivals arrivals) {
			this.arrivals = arrivals;
		}

		@DynamoTrigger(table = "${bench.table}", id = "bench")
		void onItem(ItemChange<BenchItem> change) {
			this.arrivals.arrived(change.newImage().getId());
		}

	}

}
