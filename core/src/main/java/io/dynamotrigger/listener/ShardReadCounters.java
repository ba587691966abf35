package io.dynamotrigger.listener;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counters of the shard readers running now.
 */
final class ShardReadCounters implements PollingStats {

	private final Set<ShardReadCounter> running = ConcurrentHashMap.newKeySet();

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
