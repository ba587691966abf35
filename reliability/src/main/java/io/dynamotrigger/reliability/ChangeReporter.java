package io.dynamotrigger.reliability;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.springframework.context.SmartLifecycle;

/**
 * Prints a line describing some state of the application whenever it differs from the last one printed,
 * checked at a fixed interval on a daemon thread, so that the suite sees the state from outside the process.
 */
class ChangeReporter implements SmartLifecycle {

	private final String threadName;

	private final long intervalMillis;

	private final Supplier<String> line;

	private ScheduledExecutorService checks;

	private String last;

	/**
	 * Creates the reporter.
	 * @param threadName the name of its thread
	 * @param intervalMillis how often the line is built
	 * @param line builds the line
	 */
	ChangeReporter(String threadName, long intervalMillis, Supplier<String> line) {
		this.threadName = threadName;
		this.intervalMillis = intervalMillis;
		this.line = line;
	}

	@Override
	public void start() {
		this.checks = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, this.threadName);
			thread.setDaemon(true);
			return thread;
		});
		this.checks.scheduleWithFixedDelay(this::report, 0, this.intervalMillis, TimeUnit.MILLISECONDS);
	}

	private void report() {
		String now;
		try {
			now = this.line.get();
		}
		catch (RuntimeException ex) {
			// A scheduled task that throws is never run again: report the failure instead of going silent.
			now = this.threadName + " failed: " + ex;
			ex.printStackTrace(System.out);
		}
		if (!now.equals(this.last)) {
			this.last = now;
			System.out.println(now);
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
