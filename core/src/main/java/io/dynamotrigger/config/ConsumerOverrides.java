package io.dynamotrigger.config;

import java.time.Duration;

/**
 * Consumer settings that one table sets for its consumer, or that one trigger sets for its table's
 * consumer, in place of the global ones; {@code null} leaves a setting to the next level.
 *
 * @param leaseTable name of the lease table
 * @param startingPosition where the consumer starts reading a shard it has no checkpoint for
 * @param concurrency how many records of one shard are handled at once
 * @param failoverTime how long a lease may go unrenewed before another worker takes its shard over
 * @param polling how each shard's GetRecords calls are paced
 */
public record ConsumerOverrides(String leaseTable, StartingPosition startingPosition, Integer concurrency,
		Duration failoverTime, PollingSettings polling) {

	/** No overrides: every setting comes from the next level. */
	public static final ConsumerOverrides NONE = new ConsumerOverrides(null, null, null, null, null);

}
