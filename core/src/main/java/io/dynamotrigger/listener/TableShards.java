package io.dynamotrigger.listener;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.dynamotrigger.status.ShardStall;
import io.dynamotrigger.status.ShardStatus;

/**
 * The shards of one table that this instance processes, by shard id: each {@link ShardProcessor} adds its
 * own while it holds the lease. Tells their status and counts their stalls.
 */
final class TableShards {

	private final Map<String, ShardProgress> byId = new ConcurrentHashMap<>();

	private final Clock clock = Clock.systemUTC();

	/**
	 * The map the table's shard processors add themselves to.
	 */
	Map<String, ShardProgress> byId() {
		return this.byId;
	}

	/**
	 * Returns each shard's status, by shard id.
	 * @param renewedNanos when each held lease was last renewed ({@code System.nanoTime()}), by shard id: KCL
	 * drops a lease that it could not renew within the failover time from the leases it holds
	 * @param rules the stall rules as of now
	 * @return the statuses, by shard id
	 */
	List<ShardStatus> statuses(Map<String, Long> renewedNanos, StallRules rules) {
		long now = System.nanoTime();
		long nowMillis = this.clock.millis();
		return this.byId.values()
			.stream()
			.map((progress) -> {
				Long renewed = renewedNanos.get(progress.shardId());
				return progress.status((renewed != null) ? TimeUnit.NANOSECONDS.toMillis(now - renewed) : null, rules,
						nowMillis);
			})
			.sorted(Comparator.comparing(ShardStatus::shardId))
			.toList();
	}

	/**
	 * Counts the shards that are stalled in one way, as of now.
	 * @param kind the kind of stall
	 * @param rules the stall rules as of now
	 * @return how many shards are stalled so
	 */
	int stalled(ShardStall.Kind kind, StallRules rules) {
		long nowMillis = this.clock.millis();
		return (int) this.byId.values()
			.stream()
			.filter((progress) -> progress.stalls(rules, nowMillis)
				.stream()
				.anyMatch((stall) -> stall.kind() == kind))
			.count();
	}

}
