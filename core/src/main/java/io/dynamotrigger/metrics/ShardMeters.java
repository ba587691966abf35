package io.dynamotrigger.metrics;

/**
 * The meters of one shard while this instance holds its lease.
 */
public interface ShardMeters {

	/**
	 * Records how far the shard's consumer is behind the newest record of the shard.
	 * @param millis milliseconds behind latest
	 */
	void lag(long millis);

	/**
	 * Removes the shard's meters, when its lease ends here.
	 */
	void close();

}
