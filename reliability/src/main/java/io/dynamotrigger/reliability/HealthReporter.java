package io.dynamotrigger.reliability;

import java.util.List;
import java.util.Map;

import io.dynamotrigger.lease.Takeover;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Prints {@code HEALTH <status> <details>} whenever the {@code dynamoTrigger} health, a trigger's
 * state, its number of held shards or the leases waiting for a takeover change (checked
 * every 250 ms), so that the suite sees it from outside the process without an HTTP server.
 */
final class HealthReporter extends ChangeReporter {

	HealthReporter(HealthIndicator health) {
		super("health-reporter", 250, () -> line(health));
	}

	private static String line(HealthIndicator health) {
		Health now = health.health();
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
		return line.toString();
	}

}
