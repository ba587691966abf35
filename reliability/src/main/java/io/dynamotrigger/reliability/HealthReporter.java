package io.dynamotrigger.reliability;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.dynamotrigger.listener.Takeover;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;

/**
 * Prints {@code HEALTH <status> <details>} whenever the {@code dynamoTrigger} health, a trigger's
 * state, its number of held shards or the leases waiting for a takeover change (checked
 * every 250 ms), so that the suite sees it from outside the process without an HTTP server.
 */
class HealthReporter implements SmartLifecycle {

	private final HealthIndicator health;

	private ScheduledExecutorService checks;

	private String last;

	HealthReporter(HealthIndicator health) {
		this.health = health;
	}

	@Override
	public void start() {
		this.checks = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "health-reporter");
			thread.setDaemon(true);
			return thread;
		});
		this.checks.scheduleWithFixedDelay(this::report, 0, 250, TimeUnit.MILLISECONDS);
	}

	private void report() {
		Health now = this.health.health();
		StringBuilder line = new StringBuilder("HEALTH ").append(now.getStatus());
		now.getDetails().forEach((trigger, details) -> {
			if (details instanceof Map<?, ?> map) {
				line.append(' ').append(trigger).append(" state=").append(map.get("state"));
				line.append(" shards=").append((map.get("shards") instanceof List<?> shards) ? shards.size() : "?");
				if (map.get("takeover") instanceof Takeover takeover) {
					line.append(" takeover=")
						.append(takeover.orphanedLeases()
							.stream()
							.map((lease) -> lease.shardId() + " held by " + lease.owner() + " since "
									+ lease.notRenewedSince())
							.toList());
					if (takeover.leaderLock() != null) {
						line.append(" leaderLock=")
							.append(takeover.leaderLock().owner())
							.append(takeover.leaderLock().expired() ? " (expired)" : "");
					}
				}
				if (map.containsKey("reason")) {
					line.append(" reason=").append(map.get("reason"));
				}
			}
		});
		if (!line.toString().equals(this.last)) {
			this.last = line.toString();
			System.out.println(this.last);
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
