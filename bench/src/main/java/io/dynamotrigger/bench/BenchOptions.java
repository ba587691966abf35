package io.dynamotrigger.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the benchmark runs: {@code --rounds=2 --backlog=3000 --spaced=300 --interval-ms=20
 * --poll-interval-ms=50 --rates-sample=300 --modes=shared --fast-failover=true --out=docs}.
 *
 * @param rounds rounds of every consumer
 * @param backlog records written before each consumer starts
 * @param spaced single writes after the backlog, for latency
 * @param intervalMillis pause between spaced writes
 * @param pollIntervalMillis every consumer's pause between reads
 * @param ratesSample calls for the endpoint's own put and GetRecords rates
 * @param modes the KCL application modes dynamo-trigger runs in, each a consumer of its own beside the baseline
 * ({@code --modes=per-table,shared} for both)
 * @param fastFailover dynamo-trigger's {@code fast-failover}, whose KCL timings the baseline has; {@code false}
 * runs dynamo-trigger at its defaults (the baseline keeps its timings)
 * @param out where the chart goes, or {@code null} for none
 */
record BenchOptions(int rounds, int backlog, int spaced, int intervalMillis, int pollIntervalMillis, int ratesSample,
		List<String> modes, boolean fastFailover, Path out) {

	private static final List<String> KNOWN_MODES = List.of("per-table", "shared");

	private static final Map<String, String> DEFAULTS = Map.of("rounds", "2", "backlog", "3000", "spaced", "300",
			"interval-ms", "20", "poll-interval-ms", "50", "rates-sample", "300", "modes", "shared", "fast-failover",
			"true", "out", "");

	static BenchOptions parse(String... args) {
		Map<String, String> values = BenchArguments.parse(DEFAULTS, args);
		return new BenchOptions(number(values, "rounds"), number(values, "backlog"), number(values, "spaced"),
				number(values, "interval-ms"), number(values, "poll-interval-ms"), number(values, "rates-sample"),
				modes(values.get("modes")), bool(values, "fast-failover"),
				values.get("out").isEmpty() ? null : Path.of(values.get("out")));
	}

	private static int number(Map<String, String> values, String name) {
		return Integer.parseInt(values.get(name));
	}

	private static boolean bool(Map<String, String> values, String name) {
		String value = values.get(name);
		if (!value.equals("true") && !value.equals("false")) {
			throw new IllegalArgumentException("--" + name + "=" + value + ": must be true or false");
		}
		return Boolean.parseBoolean(value);
	}

	private static List<String> modes(String value) {
		List<String> modes = Arrays.stream(value.split(",")).map(String::trim).distinct().toList();
		if (!KNOWN_MODES.containsAll(modes)) {
			throw new IllegalArgumentException(
					"--modes=" + value + ": each mode must be one of " + KNOWN_MODES + ", comma-separated");
		}
		return modes;
	}

}
