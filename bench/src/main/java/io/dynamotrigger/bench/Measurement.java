package io.dynamotrigger.bench;

import java.util.List;

/**
 * What one round measured of one consumer.
 *
 * @param consumer the consumer's name
 * @param startToFirstSeconds from the consumer's start to its first handler call, with a backlog waiting
 * @param drainPerSecond records per second while it worked off the backlog
 * @param cpuMicrosPerRecord JVM CPU time per record while draining
 * @param allocatedBytesPerRecord bytes allocated per record while draining
 * @param latenciesMillis write → handler latency of each spaced write
 * @param heapBytes heap in use after a GC, with the consumer running idle
 * @param duplicates handler calls beyond one per item
 */
record Measurement(String consumer, double startToFirstSeconds, double drainPerSecond, double cpuMicrosPerRecord,
		double allocatedBytesPerRecord, List<Double> latenciesMillis, long heapBytes, int duplicates) {
}
