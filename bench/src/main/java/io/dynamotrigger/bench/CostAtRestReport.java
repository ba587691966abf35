package io.dynamotrigger.bench;

import java.util.List;

/**
 * The cost-at-rest table: one row per run, requests per second by purpose, and what a triggered table
 * costs per month at rest at on-demand prices.
 */
final class CostAtRestReport {

	/** On-demand price of a million write request units, us-east-1 (see docs/benchmarks.md). */
	static final double WRITE_UNIT_DOLLARS_PER_MILLION = 0.625;

	/** On-demand price of a million read request units, us-east-1 (see docs/benchmarks.md). */
	static final double READ_UNIT_DOLLARS_PER_MILLION = 0.125;

	/** 730 hours. */
	static final double SECONDS_PER_MONTH = 730 * 3600;

	private final List<RestMeasurement> runs;

	/**
	 * @param runs the runs, one row each
	 */
	CostAtRestReport(List<RestMeasurement> runs) {
		this.runs = runs;
	}

	/**
	 * Renders the report: a Markdown table, then each run's requests by operation and the tables created.
	 * @return the report
	 */
	String table() {
		StringBuilder out = new StringBuilder();
		out.append(String.format("%d cores, Java %s; requests counted on the wire during the rest window%n%n",
				Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
		out.append("| mode | tables | threads | heap after GC (MiB) | CPU at rest (% of a core) | tables created"
				+ " | start → first record, median / max (s) | stop (s) | GetRecords/s | DescribeStream/GetShardIterator/s"
				+ " | lease table reads/s | lease table writes/s | coordinator state/s | worker metrics/s | others/s"
				+ " | GetRecords per table per month (millions) | lease, coordinator and metrics tables per table ($/month)"
				+ " |");
		out.append(String.format("%n|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n"));
		for (RestMeasurement run : this.runs) {
			Percentiles start = new Percentiles(run.startToFirstSeconds());
			out.append(String.format("| %s | %d | %d | %.1f | %.1f | %d | %.1f / %.1f | %.2f |", run.mode(), run.tables(),
					run.threads(), run.heapBytes() / 1024.0 / 1024.0, run.cpuPercent(), run.createdTables().size(),
					start.at(50), start.at(100), run.stopSeconds()));
			for (RequestCounter.Purpose purpose : RequestCounter.Purpose.values()) {
				out.append(String.format(" %.2f |", run.perSecond(purpose)));
			}
			double getRecordsPerMonth = run.perSecond(RequestCounter.Purpose.GET_RECORDS) * SECONDS_PER_MONTH
					/ run.tables();
			out.append(String.format(" %.2f | %.2f |%n", getRecordsPerMonth / 1e6, tableDollarsPerMonth(run)));
		}
		for (RestMeasurement run : this.runs) {
			out.append(String.format("%n%s, %d tables (load average %s): requests in %.0f s by purpose and operation: %s%n",
					run.mode(), run.tables(), run.loadAverage(), run.windowSeconds(), run.requests().byOperation()));
			out.append(String.format("tables created: %s%n", run.createdTables()));
		}
		return out.toString();
	}

	/**
	 * Returns what the requests on DynamoDB tables (lease, coordinator-state, worker-metrics and any other)
	 * of one triggered table cost per month at rest, the streams' GetRecords calls left out.
	 */
	static double tableDollarsPerMonth(RestMeasurement run) {
		double unitsScale = SECONDS_PER_MONTH / run.windowSeconds() / run.tables() / 1e6;
		return run.requests().readUnits() * unitsScale * READ_UNIT_DOLLARS_PER_MILLION
				+ run.requests().writeUnits() * unitsScale * WRITE_UNIT_DOLLARS_PER_MILLION;
	}

}
