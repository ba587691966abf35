package io.dynamotrigger.listener;

import java.time.Duration;
import java.util.Map;

import io.dynamotrigger.error.ErrorPolicy;

/**
 * How the stream consumers of the triggers run.
 *
 * @param applicationName prefix of the lease table names: a table's lease table is
 * {@code <applicationName>-<table>}, unless {@code leaseTables} names it
 * @param leaseTables lease table name per table name, overriding the derived name
 * @param startingPosition where a consumer without a checkpoint starts
 * @param polling how each shard's GetRecords calls are paced
 * @param fastFailover {@code true} for short lease, failover and leader-lock times (seconds instead of
 * minutes): faster start and takeover for tests and local runs at the cost of more DynamoDB requests
 * @param shutdownTimeout how long a graceful stop may take before the consumer is stopped at once
 * @param errorPolicy the error policy of triggers that {@code triggerErrorPolicies} does not name
 * @param triggerErrorPolicies error policies by trigger id; every key must be the id of a trigger
 */
public record ConsumerSettings(String applicationName, Map<String, String> leaseTables,
		StartingPosition startingPosition, PollingSettings polling, boolean fastFailover, Duration shutdownTimeout,
		ErrorPolicy errorPolicy, Map<String, ErrorPolicy> triggerErrorPolicies) {

	/**
	 * Creates the settings; the maps are copied.
	 */
	public ConsumerSettings {
		leaseTables = Map.copyOf(leaseTables);
		triggerErrorPolicies = Map.copyOf(triggerErrorPolicies);
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
	 * Returns the error policy of a trigger.
	 * @param triggerId the trigger's id
	 * @return its own policy, or the default one
	 */
	public ErrorPolicy errorPolicyFor(String triggerId) {
		return this.triggerErrorPolicies.getOrDefault(triggerId, this.errorPolicy);
	}

}
