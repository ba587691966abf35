package io.dynamotrigger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The side-by-side table: one row per figure; the baseline, then each framework consumer with its ratio to the
 * baseline, and with two framework consumers (the two KCL application modes) the second's ratio to the first.
 * Scalar figures are medians over the rounds; latency percentiles pool every round's samples.
 */
final class BenchReport {

	private final String baseline;

	private final List<String> frameworks;

	private final Map<String, List<Measurement>> results;

	private final double motoPutsPerSecond;

	private final double motoGetRecordsPerSecond;

	private final BenchOptions options;

	BenchReport(String baseline, List<String> frameworks, Map<String, List<Measurement>> results,
			double motoPutsPerSecond, double motoGetRecordsPerSecond, BenchOptions options) {
		this.baseline = baseline;
		this.frameworks = frameworks;
		this.results = results;
		this.motoPutsPerSecond = motoPutsPerSecond;
		this.motoGetRecordsPerSecond = motoGetRecordsPerSecond;
		this.options = options;
	}

	Percentiles latencies(String consumer) {
		List<Double> all = new ArrayList<>();
		this.results.get(consumer).forEach((measurement) -> all.addAll(measurement.latenciesMillis()));
		return new Percentiles(all);
	}

	double median(String consumer, ToDoubleFunction<Measurement> figure) {
		return Percentiles.median(this.results.get(consumer).stream().map(figure::applyAsDouble).toList());
	}

	/**
	 * Renders the report as a Markdown table with a header of what ran.
	 * @return the table
	 */
	String table() {
		StringBuilder out = new StringBuilder();
		out.append(String.format("%d rounds; backlog %d records; %d spaced writes %d ms apart; every consumer polls"
				+ " every %d ms; dynamo-trigger fast-failover=%s; %d cores, Java %s%n%n", this.options.rounds(),
				this.options.backlog(), this.options.spaced(), this.options.intervalMillis(),
				this.options.pollIntervalMillis(), this.options.fastFailover(), Runtime.getRuntime().availableProcessors(),
				System.getProperty("java.version")));
		out.append("| figure | ").append(this.baseline).append(" |");
		this.frameworks.forEach((framework) -> out.append(' ').append(framework).append(" | ratio |"));
		if (this.frameworks.size() == 2) {
			out.append(' ').append(this.frameworks.get(1)).append(" / ").append(this.frameworks.get(0)).append(" |");
		}
		out.append(String.format("%n|---|---:|%s%n", "---:|---:|".repeat(this.frameworks.size())
				+ ((this.frameworks.size() == 2) ? "---:|" : "")));
		Map<String, Function<String, Double>> figures = new LinkedHashMap<>();
		figures.put("latency p50 (ms)", (consumer) -> latencies(consumer).at(50));
		figures.put("latency p95 (ms)", (consumer) -> latencies(consumer).at(95));
		figures.put("latency p99 (ms)", (consumer) -> latencies(consumer).at(99));
		figures.put("drain (records/s)", (consumer) -> median(consumer, Measurement::drainPerSecond));
		figures.put("CPU per record (µs)", (consumer) -> median(consumer, Measurement::cpuMicrosPerRecord));
		figures.put("allocated per record (KiB)",
				(consumer) -> median(consumer, (m) -> m.allocatedBytesPerRecord() / 1024));
		figures.put("start → first record (s)", (consumer) -> median(consumer, Measurement::startToFirstSeconds));
		figures.put("heap after run (MiB)", (consumer) -> median(consumer, (m) -> m.heapBytes() / 1024.0 / 1024.0));
		figures.put("duplicate calls", (consumer) -> median(consumer, Measurement::duplicates));
		figures.forEach((name, figure) -> row(out, name, figure));
		out.append(String.format("%nlocal endpoint alone: %.0f PutItem/s (one thread), %.0f GetRecords/s (idle shard)%n",
				this.motoPutsPerSecond, this.motoGetRecordsPerSecond));
		return out.toString();
	}

	private void row(StringBuilder out, String name, Function<String, Double> figure) {
		double baseline = figure.apply(this.baseline);
		out.append("| ").append(name).append(" | ").append(format(baseline)).append(" |");
		List<Double> values = this.frameworks.stream().map(figure).toList();
		values.forEach((value) -> out.append(' ').append(format(value)).append(" | ").append(ratio(value, baseline))
			.append(" |"));
		if (values.size() == 2) {
			out.append(' ').append(ratio(values.get(1), values.get(0))).append(" |");
		}
		out.append(System.lineSeparator());
	}

	private static String ratio(double value, double reference) {
		return (reference == 0) ? "-" : String.format("%.2f", value / reference);
	}

	private static String format(double value) {
		return (Math.abs(value) >= 100) ? String.format("%.0f", value) : String.format("%.2f", value);
	}

	void writeChart(Path directory) throws IOException {
		Files.createDirectories(directory);
		Map<String, Percentiles> series = new LinkedHashMap<>();
		series.put(this.baseline, latencies(this.baseline));
		this.frameworks.forEach((framework) -> series.put(framework, latencies(framework)));
		LatencyChart.write(series, "write → handler latency, cumulative (" + this.options.spaced() * this.options.rounds()
				+ " writes per consumer)", directory.resolve("bench-latency.png"));
	}

}
