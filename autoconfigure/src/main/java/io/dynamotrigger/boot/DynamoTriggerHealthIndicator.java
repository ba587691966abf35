package io.dynamotrigger.boot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.dynamotrigger.listener.ShardStatus;
import io.dynamotrigger.listener.TriggerRegistry;
import io.dynamotrigger.listener.TriggerState;
import io.dynamotrigger.listener.TriggerStatus;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the triggers: DOWN when a trigger's consumer failed, when its lease table does not answer (KCL
 * can then neither renew leases nor checkpoint), when the lease of a shard it processes expired because its
 * renewals failed, or when a shard has had a record in
 * progress (its handler running or being retried, or its dead letter not yet taken) for longer than the
 * stall timeout; UP otherwise. Paused and stopped triggers are an operator's choice and do not make the
 * health DOWN. Details list each trigger's state and shards.
 */
final class DynamoTriggerHealthIndicator extends AbstractHealthIndicator {

	private final TriggerRegistry registry;

	private final Duration stallTimeout;

	private final Clock clock;

	DynamoTriggerHealthIndicator(TriggerRegistry registry, Duration stallTimeout, Clock clock) {
		super("Trigger health check failed");
		this.registry = registry;
		this.stallTimeout = stallTimeout;
		this.clock = clock;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Instant stalledBefore = this.clock.instant().minus(this.stallTimeout);
		boolean down = false;
		for (TriggerStatus trigger : this.registry.status()) {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("table", trigger.table());
			details.put("state", trigger.state());
			List<String> leaseless = trigger.shards()
				.stream()
				.filter((shard) -> shard.leaseRenewedMillisAgo() == null)
				.map(ShardStatus::shardId)
				.toList();
			List<ShardStatus> stalled = trigger.shards()
				.stream()
				.filter((shard) -> shard.inFlightSince() != null && shard.inFlightSince().isBefore(stalledBefore))
				.toList();
			if (trigger.state() == TriggerState.FAILED) {
				details.put("reason", "its consumer stopped after an error; see the log");
				down = true;
			}
			else if (trigger.leaseTableProblem() != null) {
				details.put("reason", trigger.leaseTableProblem());
				down = true;
			}
			else if (!leaseless.isEmpty() && trigger.state() != TriggerState.STOPPED) {
				details.put("reason", "lease(s) of shard(s) " + leaseless + " expired: their renewals failed (is the"
						+ " lease table reachable?)");
				down = true;
			}
			else if (!stalled.isEmpty() && trigger.state() != TriggerState.PAUSED) {
				details.put("reason", "shard(s) stalled: a record has been in progress for longer than "
						+ this.stallTimeout);
				down = true;
			}
			details.put("shards", trigger.shards());
			builder.withDetail(trigger.id(), details);
		}
		if (down) {
			builder.down();
		}
		else {
			builder.up();
		}
	}

}
