package io.dynamotrigger.boot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.dynamotrigger.lease.LeaderLock;
import io.dynamotrigger.lease.OrphanedLease;
import io.dynamotrigger.lease.ShardHandOff;
import io.dynamotrigger.status.ShardStall;
import io.dynamotrigger.status.ShardStatus;
import io.dynamotrigger.status.TriggerState;
import io.dynamotrigger.status.TriggerStatus;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the triggers: DOWN when a trigger's consumer failed, when its lease table does not answer (KCL
 * can then neither renew leases nor checkpoint), when the lease of a shard it processes expired because its
 * renewals failed, or when a shard is stalled: a record has been in progress (its handler running or being
 * retried, or its dead letter not yet taken), no read has come, or its checkpoint has stayed behind records
 * received after it, for longer than the stall timeout (see {@link ShardStall}); or when the instance has
 * held no shard of the trigger's table for longer than the shard-end timeout since a shard of the table
 * ended on it while shards of the stream wait with no worker holding their leases (the children KCL created
 * when the parent ended: their records wait), or when a lease of the trigger's table has been held by a
 * worker that stopped renewing it (a worker killed without giving its leases up) for longer than the
 * takeover timeout; UP otherwise. A takeover within the timeout is recovery
 * under way: KCL's leader assigns such leases after the failover time, or once a dead leader's lock runs out.
 * Paused and stopped triggers are an operator's choice and do not make the health DOWN. Details list each
 * trigger's state and shards, the hand-off after a shard end while the instance holds no shard, the
 * takeover while leases wait for one, and for a paused trigger what its shards hold for it and how many wait
 * for it (their held span full).
 */
final class DynamoTriggerHealthIndicator extends AbstractHealthIndicator {

	private final Supplier<List<TriggerStatus>> triggers;

	private final Duration stallTimeout;

	private final Duration shardEndTimeout;

	private final Duration takeoverTimeout;

	private final Clock clock;

	/**
	 * Creates the indicator.
	 * @param triggers the triggers' states, as {@code TriggerRegistry.status()} returns them
	 * @param stallTimeout how long a shard may make no progress, for the reason: the shards' statuses tell which
	 * are stalled
	 * @param shardEndTimeout how long an instance may hold no shard after a shard end while shards wait
	 * @param takeoverTimeout how long a lease may stay held by a worker that stopped renewing it
	 * @param clock the time
	 */
	DynamoTriggerHealthIndicator(Supplier<List<TriggerStatus>> triggers, Duration stallTimeout,
			Duration shardEndTimeout, Duration takeoverTimeout, Clock clock) {
		super("Trigger health check failed");
		this.triggers = triggers;
		this.stallTimeout = stallTimeout;
		this.shardEndTimeout = shardEndTimeout;
		this.takeoverTimeout = takeoverTimeout;
		this.clock = clock;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Instant now = this.clock.instant();
		Instant idleBefore = now.minus(this.shardEndTimeout);
		Instant takeoverDueBefore = now.minus(this.takeoverTimeout);
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
			List<ShardStatus> stalled = trigger.shards().stream().filter((shard) -> !shard.stalls().isEmpty()).toList();
			List<OrphanedLease> overdue = (trigger.takeover() != null) ? trigger.takeover()
				.orphanedLeases()
				.stream()
				.filter((lease) -> lease.notRenewedSince().isBefore(takeoverDueBefore))
				.toList() : List.of();
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
				details.put("reason", "shard(s) of table " + trigger.table() + " stalled for longer than "
						+ this.stallTimeout + ": " + describeStalls(stalled));
				down = true;
			}
			else if (!overdue.isEmpty()) {
				details.put("reason", "no worker has taken over the lease(s) of " + describe(overdue, now)
						+ " within " + this.takeoverTimeout + describe(trigger.takeover().leaderLock()));
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
			if (trigger.takeover() != null) {
				details.put("takeover", trigger.takeover());
			}
			if (trigger.pause() != null) {
				details.put("pause", trigger.pause());
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

	private static String describeStalls(List<ShardStatus> shards) {
		return shards.stream()
			.map((shard) -> "shard " + shard.shardId() + " ("
					+ shard.stalls().stream().map((stall) -> describe(stall, shard)).collect(Collectors.joining(", "))
					+ ")")
			.collect(Collectors.joining(", "));
	}

	private static String describe(ShardStall stall, ShardStatus shard) {
		return switch (stall.kind()) {
			case RECORD -> "record " + shard.inFlightSequenceNumber() + " in progress since " + stall.since();
			case READS -> "no read since " + stall.since();
			case CHECKPOINT -> "checkpoint at " + shard.lastCheckpoint() + " since " + stall.since()
					+ " while records after it were received";
		};
	}

	private static String describe(List<OrphanedLease> leases, Instant now) {
		return leases.stream()
			.map((lease) -> "shard " + lease.shardId() + " (held by " + lease.owner() + ", not renewed for "
					+ Duration.between(lease.notRenewedSince(), now) + ", since " + lease.notRenewedSince() + ")")
			.collect(Collectors.joining(", "));
	}

	private static String describe(LeaderLock leaderLock) {
		if (leaderLock == null) {
			return "";
		}
		return "; KCL's leader lock is held by " + leaderLock.owner() + ", "
				+ (leaderLock.expired() ? "expired" : "renewed") + " (heartbeat last seen changing at "
				+ leaderLock.notRenewedSince() + ")";
	}

	private static boolean isIdleAfterShardEnd(ShardHandOff handOff, Instant idleBefore) {
		return handOff != null && !handOff.waitingShards().isEmpty() && handOff.endedAt().isBefore(idleBefore);
	}

}
