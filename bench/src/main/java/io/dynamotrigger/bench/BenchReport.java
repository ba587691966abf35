package io.dynamotrigger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The side-by-side table: one row per figure, baseline and framework, and their ratio. Scalar figures are
 * medians over the rounds; latency percentiles pool every round's samples.
 */
final class BenchReport {

	private final String baseline;

	private final String framework;

	private final Map<String, List<Measurement>> results;

	private final double motoPutsPerSecond;

	private final double motoGetRecordsPerSecond;

	private final BenchOptions options;

	BenchReport(String baseline, String framework, Map<String, List<Measurement>> results, double motoPutsPerSecond,
			double motoGetRecordsPerSecond, BenchOptions options) {
		this.baseline = baseline;
		this.framework = framework;
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
		out.append(String.format("%d rounds; backlog %d records; %d spaced writes %d ms apart; both consumers poll every"
				+ " %d ms; %d cores, Java %s%n%n", this.options.rounds(), this.options.backlog(), this.options.spaced(),
				this.options.intervalMillis(), this.options.pollIntervalMillis(),
				Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
		out.append(String.format("| figure | %s | %s | ratio |%n|---|---:|---:|---:|%n", this.baseline, this.framework));
		Percentiles baseLatency = latencies(this.baseline);
		Percentiles frameworkLatency = latencies(this.framework);
		row(out, "latency p50 (ms)", baseLatency.at(50), frameworkLatency.at(50));
		row(out, "latency p95 (ms)", baseLatency.at(95), frameworkLatency.at(95));
		row(out, "latency p99 (ms)", baseLatency.at(99), frameworkLatency.at(99));
		Map<String, ToDoubleFunction<Measurement>> figures = new LinkedHashMap<>();
		figures.put("drain (records/s)", Measurement::drainPerSecond);
		figures.put("CPU per record (µs)", Measurement::cpuMicrosPerRecord);
		figures.put("allocated per record (KiB)", (m) -> m.allocatedBytesPerRecord() / 1024);
		figures.put("start → first record (s)", Measurement::startToFirstSeconds);
		figures.put("heap after run (MiB)", (m) -> m.heapBytes() / 1024.0 / 1024.0);
		figures.put("duplicate calls", Measurement::duplicates);
		figures.forEach((name, figure) -> row(out, name, median(this.baseline, figure), median(this.framework, figure)));
		out.append(String.format("%nlocal endpoint alone: %.0f PutItem/s (one thread), %.0f GetRecords/s (idle shard)%n",
				this.motoPutsPerSecond, this.motoGetRecordsPerSecond));
		return out.toString();
	}

	private static void row(StringBuilder out, String name, double baseline, double framework) {
		String ratio = (baseline == 0) ? "-" : String.format("%.2f", framework / baseline);
		out.append(String.format("| %s | %s | %s | %s |%n", name, format(baseline), format(framework), ratio));
	}

	private static String format(double value) {
		return (Math.abs(value) >= 100) ? String.format("%.0f", value) : String.format("%.2f", value);
	}

	void writeChart(Path directory) throws IOException {
		Files.createDirectories(directory);
		Map<String, Percentiles> series = new LinkedHashMap<>();
		series.put(this.baseline, latencies(this.baseline));
		series.put(this.framework, latencies(this.framework));
		LatencyChart.write(series, "write → handler latency, cumulative (" + this.options.spaced() * this.options.rounds()
				+ " writes per consumer)", directory.resolve("bench-latency.png"));
	}

}
