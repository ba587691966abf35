package io.dynamotrigger.reliability;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.SmartLifecycle;

/**
 * Prints {@code LAG <ms> LEASES <n>} whenever the largest {@code dynamo.trigger.lag} gauge of table
 * {@code Events} or the number of its shard leases this instance holds ({@code dynamo.trigger.leases})
 * changes (checked every 500 ms), so that the suite sees the lag from outside the process.
 */
class LagReporter implements SmartLifecycle {

	private final MeterRegistry registry;

	private ScheduledExecutorService checks;

	private String last;

	LagReporter(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void start() {
		this.checks = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "lag-reporter");
			thread.setDaemon(true);
			return thread;
		});
		this.checks.scheduleWithFixedDelay(this::report, 0, 500, TimeUnit.MILLISECONDS);
	}

	private void report() {
		long lag = (long) this.registry.find("dynamo.trigger.lag")
			.tag("table", CallRecorder.EVENTS)
			.gauges()
			.stream()
			.mapToDouble(Gauge::value)
			.max()
			.orElse(0);
		Gauge leases = this.registry.find("dynamo.trigger.leases").tag("table", CallRecorder.EVENTS).gauge();
		String line = "LAG " + lag + " LEASES " + ((leases != null) ? (long) leases.value() : 0);
		if (!line.equals(this.last)) {
			this.last = line;
			System.out.println(line);
		}
	}

	@Override
	public void stop() {
		this.checks.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return this.checks != null && !this.checks.isShutdown();
	}

}
