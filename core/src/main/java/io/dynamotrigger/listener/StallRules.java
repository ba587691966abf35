package io.dynamotrigger.listener;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.dynamotrigger.status.ShardStall;
import io.dynamotrigger.status.ShardStall.Kind;

/**
 * When a shard counts as stalled, by the kinds of {@link ShardStall}: something has not moved for longer than
 * the stall timeout. The checkpoint may stay for the longest batch window more, since a batch trigger's
 * records hold it while they wait for their window.
 */
final class StallRules {

	/** No shard is ever stalled: the table's consumer does not run, or holds its shards (stopped). */
	static final StallRules NEVER = new StallRules(Long.MAX_VALUE, Long.MAX_VALUE);

	private final long timeoutMillis;

	private final long checkpointTimeoutMillis;

	private StallRules(long timeoutMillis, long checkpointTimeoutMillis) {
		this.timeoutMillis = timeoutMillis;
		this.checkpointTimeoutMillis = checkpointTimeoutMillis;
	}

	/**
	 * Creates the rules of a table's shards.
	 * @param stallTimeout how long a record may be in progress, a read awaited or the checkpoint stay behind
	 * @param triggers the table's triggers
	 * @return the rules
	 */
	static StallRules of(Duration stallTimeout, List<ActiveTrigger> triggers) {
		Duration longestWindow = triggers.stream()
			.filter((trigger) -> trigger.endpoint().isBatch())
			.map((trigger) -> trigger.batching().window())
			.max(Duration::compareTo)
			.orElse(Duration.ZERO);
		return new StallRules(stallTimeout.toMillis(), stallTimeout.plus(longestWindow).toMillis());
	}

	/**
	 * Returns these rules while a trigger of the table is paused: its held records hold the checkpoint, so the
	 * checkpoint never counts as stalled; a record in progress or a read awaited still do.
	 * @return the rules without a checkpoint stall
	 */
	StallRules whilePaused() {
		return new StallRules(this.timeoutMillis, Long.MAX_VALUE);
	}

	/**
	 * Returns what of a shard is stalled.
	 * @param inFlightSinceMillis since when a record is in progress, or {@link ShardProgress#NONE}
	 * @param readAwaitedSinceMillis since when the next read is awaited, or {@link ShardProgress#NONE}
	 * @param checkpointBehindSinceMillis since when the checkpoint stays behind received records, or
	 * {@link ShardProgress#NONE}
	 * @param nowMillis the time
	 * @return the stalls, in the order of {@link Kind}
	 */
	List<ShardStall> stalls(long inFlightSinceMillis, long readAwaitedSinceMillis, long checkpointBehindSinceMillis,
			long nowMillis) {
		List<ShardStall> stalls = new ArrayList<>(0);
		add(stalls, Kind.RECORD, inFlightSinceMillis, this.timeoutMillis, nowMillis);
		add(stalls, Kind.READS, readAwaitedSinceMillis, this.timeoutMillis, nowMillis);
		add(stalls, Kind.CHECKPOINT, checkpointBehindSinceMillis, this.checkpointTimeoutMillis, nowMillis);
		return stalls;
	}

	private static void add(List<ShardStall> stalls, Kind kind, long sinceMillis, long timeoutMillis,
			long nowMillis) {
		if (sinceMillis != ShardProgress.NONE && nowMillis - sinceMillis > timeoutMillis) {
			stalls.add(new ShardStall(kind, Instant.ofEpochMilli(sinceMillis)));
		}
	}

}
