package io.dynamotrigger.kcl.polling;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.dynamotrigger.metrics.TriggerMetrics;

/**
 * The counters of the shard readers running now.
 */
public final class ShardReadCounters implements PollingStats {

	private final Set<ShardReadCounter> running = ConcurrentHashMap.newKeySet();

	private final TriggerMetrics metrics;

	/**
	 * Creates the counters.
	 * @param metrics where the reads are also counted
	 */
	public ShardReadCounters(TriggerMetrics metrics) {
		this.metrics = metrics;
	}

	/**
	 * Creates the counter of a shard's reader, which also counts into the metrics.
	 */
	ShardReadCounter counter(String table, String shardId) {
		return new ShardReadCounter(table, shardId, this.metrics);
	}

	void add(ShardReadCounter counter) {
		this.running.add(counter);
	}

	void remove(ShardReadCounter counter) {
		this.running.remove(counter);
	}

	@Override
	public List<ShardReads> shards() {
		return List.copyOf(this.running);
	}

}
