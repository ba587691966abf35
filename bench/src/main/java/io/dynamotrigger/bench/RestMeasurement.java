package io.dynamotrigger.bench;

import java.util.List;

/**
 * One application with triggers on idle tables, measured at rest.
 *
 * @param tables triggered tables
 * @param threads live threads of the JVM at the end of the rest window
 * @param heapBytes heap in use after a GC, at the end of the rest window
 * @param cpuPercent process CPU over the rest window, in % of one core
 * @param createdTables the DynamoDB tables that exist after the rest window and did not before the start
 * @param startToFirstSeconds per table: application start → the table's trigger called for its first record
 * @param stopSeconds how long closing the application context took
 * @param windowSeconds length of the rest window
 * @param requests the requests the application's clients sent during the rest window
 * @param loadAverage the machine's 1-minute load average at the end of the rest window
 */
record RestMeasurement(String mode, int tables, int threads, long heapBytes, double cpuPercent, List<String> createdTables,
		List<Double> startToFirstSeconds, double stopSeconds, double windowSeconds, RequestCounter.RequestCounts requests,
		String loadAverage) {

	double perSecond(RequestCounter.Purpose purpose) {
		return this.requests.of(purpose) / this.windowSeconds;
	}

}
