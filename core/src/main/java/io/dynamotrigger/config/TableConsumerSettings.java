package io.dynamotrigger.config;

import java.time.Duration;

/**
 * How one table's consumer runs: the table's own settings, or the global ones where it has none.
 *
 * @param leaseTable name of the lease table
 * @param startingPosition where the consumer starts reading a shard it has no checkpoint for
 * @param concurrency how many records of one shard are handled at once, on lanes by partition key
 * @param failoverTime how long a lease may go unrenewed before another worker takes its shard over
 * @param polling how each shard's GetRecords calls are paced
 */
public record TableConsumerSettings(String leaseTable, StartingPosition startingPosition, int concurrency,
		Duration failoverTime, PollingSettings polling) {
}
