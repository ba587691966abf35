package io.dynamotrigger.config;

import java.time.Duration;
import java.util.Map;

/**
 * How the stream consumers of the triggers run: the global settings, the settings of the tables that have
 * their own, and the settings of the triggers. The values are taken as they are; the configuration they come
 * from has checked them.
 *
 * @param applicationName prefix of the lease table names: a table's lease table is
 * {@code <applicationName>-<table>} unless {@code tables} names one; with the shared KCL application, the
 * name of its one lease table
 * @param applicationMode one KCL application per table, or one for all tables
 * @param startingPosition where a consumer without a checkpoint starts
 * @param polling how each shard's GetRecords calls are paced
 * @param concurrency how many records of one shard are handled at once, on lanes by partition key so that
 * the changes of each partition key stay in order; 1 to {@value #MAX_CONCURRENCY}
 * @param failoverTime how long a lease may go unrenewed before another worker takes its shard over; at
 * least {@link #MIN_FAILOVER_TIME}
 * @param leaderLockDuration how long KCL's leader lock lasts without a heartbeat (heartbeats every quarter of
 * it): after an instance holding it dies, no lease is reassigned before it runs out; at least
 * {@link #MIN_LEADER_LOCK_DURATION}
 * @param fastFailover {@code true} for short lease and failover times (seconds instead of minutes): faster
 * start and takeover for tests and local runs at the cost of more DynamoDB requests
 * @param shutdownTimeout how long a graceful stop may take before the consumer is stopped at once
 * @param stallTimeout how long a shard may make no progress (a record in progress, no read, its checkpoint
 * behind received records) before it counts as stalled; see {@code io.dynamotrigger.status.ShardStall}
 * @param tables the consumer settings of single tables, by table name
 * @param triggerDefaults the settings of triggers that {@code triggers} does not name
 * @param triggers settings by trigger id; every key must be the id of a trigger
 * @param pauseMaxHeldRecords how many records a shard reads past the oldest record it holds for a paused
 * trigger before it waits for the trigger's resume; see {@code io.dynamotrigger.pause.TriggerPause}
 * @param removedTablesLeaseDeletion in {@link KclApplicationMode#SHARED} mode, how long after the start the
 * leases of tables this application no longer triggers are deleted from the shared lease table;
 * {@code null} to keep them (their checkpoints stay for when a table is triggered again)
 * @param maxReadThreads in {@link KclApplicationMode#SHARED} mode, the most threads that make GetRecords calls
 * at once (1 to {@value #MAX_READ_THREADS})
 */
public record ConsumerSettings(String applicationName, KclApplicationMode applicationMode,
		StartingPosition startingPosition, PollingSettings polling,
		int concurrency, Duration failoverTime, Duration leaderLockDuration, boolean fastFailover, Duration shutdownTimeout,
		Duration stallTimeout, Map<String, TableConsumerSettings> tables, TriggerSettings triggerDefaults,
		Map<String, TriggerSettings> triggers, int pauseMaxHeldRecords, Duration removedTablesLeaseDeletion,
		int maxReadThreads) {

	/** The most threads the shared KCL application's GetRecords calls may take. */
	public static final int MAX_READ_THREADS = 256;

	/** The most records of one shard handled at once. */
	public static final int MAX_CONCURRENCY = 10;

	/** KCL's failover time: the failover time unless set. */
	public static final Duration DEFAULT_FAILOVER_TIME = Duration.ofSeconds(10);

	/** The failover time of {@code fastFailover} unless set. */
	public static final Duration FAST_FAILOVER_TIME = Duration.ofSeconds(3);

	/**
	 * The leader lock duration unless set: KCL's 2 minutes bounded takeover after the death of the instance
	 * holding the lock to about 2.5 minutes; 12 s (a heartbeat write every 3 s) bounds it to about 40 s.
	 */
	public static final Duration DEFAULT_LEADER_LOCK_DURATION = Duration.ofSeconds(12);

	/** The leader lock duration of {@code fastFailover} unless set. */
	public static final Duration FAST_LEADER_LOCK_DURATION = Duration.ofSeconds(6);

	/** The shortest leader lock duration. */
	public static final Duration MIN_LEADER_LOCK_DURATION = Duration.ofSeconds(2);

	/**
	 * The shortest failover time: KCL renews leases every third of it, less 25 ms.
	 */
	public static final Duration MIN_FAILOVER_TIME = Duration.ofSeconds(1);

	/**
	 * Creates the settings; the maps are copied.
	 */
	public ConsumerSettings {
		tables = Map.copyOf(tables);
		triggers = Map.copyOf(triggers);
	}

	/**
	 * Returns how a table's consumer runs: the table's own settings, or the global ones with the lease table
	 * {@code <applicationName>-<table>} ({@code <applicationName>} with the shared KCL application).
	 * @param table the table whose stream is read
	 * @return the table's consumer settings
	 */
	public TableConsumerSettings tableConsumer(String table) {
		TableConsumerSettings own = this.tables.get(table);
		return (own != null) ? own : new TableConsumerSettings(
				isShared() ? this.applicationName : perTableLeaseTable(table),
				this.startingPosition, this.concurrency, this.failoverTime, this.polling);
	}

	/**
	 * Returns the name a table's lease table has in {@link KclApplicationMode#PER_TABLE} mode when none is
	 * configured: the shared application carries a table's checkpoints over from it.
	 * @param table the table
	 * @return {@code <application-name>-<table>}
	 */
	public String perTableLeaseTable(String table) {
		return this.applicationName + "-" + table;
	}

	/**
	 * Returns the settings of a trigger.
	 * @param triggerId the trigger's id
	 * @return its own settings, or the defaults
	 */
	public TriggerSettings triggerSettings(String triggerId) {
		return this.triggers.getOrDefault(triggerId, this.triggerDefaults);
	}

	/**
	 * Tells whether one KCL application reads all tables.
	 * @return {@code true} in {@link KclApplicationMode#SHARED} mode
	 */
	public boolean isShared() {
		return this.applicationMode == KclApplicationMode.SHARED;
	}

}
