package io.dynamotrigger.boot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.dynamotrigger.listener.ShardHandOff;
import io.dynamotrigger.listener.ShardStatus;
import io.dynamotrigger.listener.TriggerState;
import io.dynamotrigger.listener.TriggerStatus;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the triggers: DOWN when a trigger's consumer failed, when its lease table does not answer (KCL
 * can then neither renew leases nor checkpoint), when the lease of a shard it processes expired because its
 * renewals failed, or when a shard has had a record in
 * progress (its handler running or being retried, or its dead letter not yet taken) for longer than the
 * stall timeout, or when the instance has held no shard of the trigger's table for longer than the shard-end
 * timeout since a shard of the table ended on it while shards of the stream wait with no worker holding
 * their leases (the children KCL created when the parent ended: their records wait); UP otherwise. Paused
 * and stopped triggers are an operator's choice and do not make the health DOWN. Details list each
 * trigger's state and shards, and the hand-off after a shard end while the instance holds no shard.
 */
final class DynamoTriggerHealthIndicator extends AbstractHealthIndicator {

	private final Supplier<List<TriggerStatus>> triggers;

	private final Duration stallTimeout;

	private final Duration shardEndTimeout;

	private final Clock clock;

	/**
	 * Creates the indicator.
	 * @param triggers the triggers' states, as {@code TriggerRegistry.status()} returns them
	 * @param stallTimeout how long a record may stay in progress
	 * @param shardEndTimeout how long an instance may hold no shard after a shard end while shards wait
	 * @param clock the time
	 */
	DynamoTriggerHealthIndicator(Supplier<List<TriggerStatus>> triggers, Duration stallTimeout,
			Duration shardEndTimeout, Clock clock) {
		super("Trigger health check failed");
		this.triggers = triggers;
		this.stallTimeout = stallTimeout;
		this.shardEndTimeout = shardEndTimeout;
		this.clock = clock;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Instant now = this.clock.instant();
		Instant stalledBefore = now.minus(this.stallTimeout);
		Instant idleBefore = now.minus(this.shardEndTimeout);
		boolean down = false;
		for (TriggerStatus trigger : this.triggers.get()) {
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
			else if (isIdleAfterShardEnd(trigger.shardHandOff(), idleBefore)) {
				ShardHandOff handOff = trigger.shardHandOff();
				details.put("reason", "no shard taken since shard " + handOff.endedShard() + " ended here at "
						+ handOff.endedAt() + ", for longer than " + this.shardEndTimeout + ", while shard(s) "
						+ handOff.waitingShards() + " wait with no worker holding their leases");
				down = true;
			}
			details.put("shards", trigger.shards());
			if (trigger.shardHandOff() != null) {
				details.put("shardHandOff", trigger.shardHandOff());
			}
			builder.withDetail(trigger.id(), details);
		}
		if (down) {
			builder.down();
		}
		else {
			builder.up();
		}
	}

	private static boolean isIdleAfterShardEnd(ShardHandOff handOff, Instant idleBefore) {
		return handOff != null && !handOff.waitingShards().isEmpty() && handOff.endedAt().isBefore(idleBefore);
	}

}
