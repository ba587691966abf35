package io.dynamotrigger.listener;

import java.time.Duration;
import java.util.Map;

/**
 * How the stream consumers of the triggers run.
 *
 * @param applicationName prefix of the lease table names: a table's lease table is
 * {@code <applicationName>-<table>}, unless {@code leaseTables} names it
 * @param leaseTables lease table name per table name, overriding the derived name
 * @param startingPosition where a consumer without a checkpoint starts
 * @param polling how each shard's GetRecords calls are paced
 * @param tablePolling pacing of single tables, by table name, overriding {@code polling}
 * @param fastFailover {@code true} for short lease, failover and leader-lock times (seconds instead of
 * minutes): faster start and takeover for tests and local runs at the cost of more DynamoDB requests
 * @param shutdownTimeout how long a graceful stop may take before the consumer is stopped at once
 * @param concurrency how many records of one shard are handled at once, on lanes by item key so that
 * each item's changes stay in order; 1 to 10
 * @param triggerDefaults the settings of triggers that {@code triggers} does not name
 * @param triggers settings by trigger id; every key must be the id of a trigger
 */
public record ConsumerSettings(String applicationName, Map<String, String> leaseTables,
		StartingPosition startingPosition, PollingSettings polling, Map<String, PollingSettings> tablePolling,
		boolean fastFailover, Duration shutdownTimeout,
		int concurrency, TriggerSettings triggerDefaults, Map<String, TriggerSettings> triggers) {

	/** The most records of one shard handled at once. */
	public static final int MAX_CONCURRENCY = 10;

	/**
	 * Creates the settings; the maps are copied.
	 * @throws IllegalArgumentException if the concurrency is out of range
	 */
	public ConsumerSettings {
		if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
			throw new IllegalArgumentException("dynamo-trigger.concurrency must be between 1 and " + MAX_CONCURRENCY
					+ ", not " + concurrency);
		}
		leaseTables = Map.copyOf(leaseTables);
		tablePolling = Map.copyOf(tablePolling);
		triggers = Map.copyOf(triggers);
	}

	/**
	 * Returns the name of the lease table for a table's consumer.
	 * @param table the table whose stream is read
	 * @return the lease table name
	 */
	public String leaseTableFor(String table) {
		return this.leaseTables.getOrDefault(table, this.applicationName + "-" + table);
	}

	/**
	 * Returns how the shards of a table are polled.
	 * @param table the table
	 * @return its own polling settings, or the global ones
	 */
	public PollingSettings pollingFor(String table) {
		return this.tablePolling.getOrDefault(table, this.polling);
	}

	/**
	 * Returns the settings of a trigger.
	 * @param triggerId the trigger's id
	 * @return its own settings, or the defaults
	 */
	public TriggerSettings triggerSettings(String triggerId) {
		return this.triggers.getOrDefault(triggerId, this.triggerDefaults);
	}

}
