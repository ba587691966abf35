package io.dynamotrigger.reliability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Prints {@code LAG <ms> LEASES <n>} whenever the largest {@code dynamo.trigger.lag} gauge of table
 * {@code Events} or the number of its shard leases this instance holds ({@code dynamo.trigger.leases})
 * changes (checked every 500 ms), so that the suite sees the lag from outside the process.
 */
final class LagReporter extends ChangeReporter {

	LagReporter(MeterRegistry registry) {
		super("lag-reporter", 500, () -> line(registry));
	}

	private static String line(MeterRegistry registry) {
		long lag = (long) registry.find("dynamo.trigger.lag")
			.tag("table", CallRecorder.EVENTS)
			.gauges()
			.stream()
			.mapToDouble(Gauge::value)
			.max()
			.orElse(0);
		Gauge leases = registry.find("dynamo.trigger.leases").tag("table", CallRecorder.EVENTS).gauge();
		return "LAG " + lag + " LEASES " + ((leases != null) ? (long) leases.value() : 0);
	}

}
