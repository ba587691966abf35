package io.dynamotrigger.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How the stream consumers of the triggers run. A table's consumer takes each setting from the first of:
 * a trigger of the table that sets it (all triggers of the table that set it must agree, since they share
 * the consumer), the table's own settings, the global ones.
 *
 * @param applicationName prefix of the lease table names: a table's lease table is
 * {@code <applicationName>-<table>} unless the table or one of its triggers names one
 * @param startingPosition where a consumer without a checkpoint starts
 * @param polling how each shard's GetRecords calls are paced
 * @param concurrency how many records of one shard are handled at once, on lanes by item key so that
 * each item's changes stay in order; 1 to {@value #MAX_CONCURRENCY}
 * @param failoverTime how long a lease may go unrenewed before another worker takes its shard over; at
 * least 1 s; {@code null} for {@link #DEFAULT_FAILOVER_TIME}, or {@link #FAST_FAILOVER_TIME} with
 * {@code fastFailover}
 * @param leaderLockDuration how long KCL's leader lock lasts without a heartbeat (heartbeats every quarter of
 * it): after an instance holding it dies, no lease is reassigned before it runs out; at least 2 s;
 * {@code null} for {@link #DEFAULT_LEADER_LOCK_DURATION}, or {@link #FAST_LEADER_LOCK_DURATION} with
 * {@code fastFailover}
 * @param fastFailover {@code true} for short lease, failover and leader-lock times (seconds instead of
 * minutes): faster start and takeover for tests and local runs at the cost of more DynamoDB requests
 * @param shutdownTimeout how long a graceful stop may take before the consumer is stopped at once
 * @param tables overrides of single tables, by table name
 * @param triggerConsumers overrides that single triggers set for their table's consumer, by trigger id;
 * every key must be the id of a trigger
 * @param triggerDefaults the settings of triggers that {@code triggers} does not name
 * @param triggers settings by trigger id; every key must be the id of a trigger
 */
public record ConsumerSettings(String applicationName, StartingPosition startingPosition, PollingSettings polling,
		int concurrency, Duration failoverTime, Duration leaderLockDuration, boolean fastFailover, Duration shutdownTimeout,
		Map<String, ConsumerOverrides> tables, Map<String, ConsumerOverrides> triggerConsumers,
		TriggerSettings triggerDefaults, Map<String, TriggerSettings> triggers) {

	/** The most records of one shard handled at once. */
	public static final int MAX_CONCURRENCY = 10;

	/** KCL's failover time. */
	public static final Duration DEFAULT_FAILOVER_TIME = Duration.ofSeconds(10);

	/** The failover time of {@code fastFailover}. */
	public static final Duration FAST_FAILOVER_TIME = Duration.ofSeconds(3);

	/** KCL's leader lock duration. */
	public static final Duration DEFAULT_LEADER_LOCK_DURATION = Duration.ofMinutes(2);

	/** The leader lock duration of {@code fastFailover}. */
	public static final Duration FAST_LEADER_LOCK_DURATION = Duration.ofSeconds(6);

	/** The shortest leader lock duration. */
	public static final Duration MIN_LEADER_LOCK_DURATION = Duration.ofSeconds(2);

	/**
	 * The shortest failover time: KCL renews leases every third of it, less 25 ms.
	 */
	public static final Duration MIN_FAILOVER_TIME = Duration.ofSeconds(1);

	private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");

	/**
	 * Creates the settings; the maps are copied.
	 * @throws IllegalArgumentException if a concurrency, failover time or lease table name is out of range,
	 * naming the property
	 */
	public ConsumerSettings {
		if (failoverTime == null) {
			failoverTime = fastFailover ? FAST_FAILOVER_TIME : DEFAULT_FAILOVER_TIME;
		}
		checkConcurrency("dynamo-trigger.concurrency", concurrency);
		checkFailoverTime("dynamo-trigger.failover-time", failoverTime);
		if (leaderLockDuration == null) {
			leaderLockDuration = fastFailover ? FAST_LEADER_LOCK_DURATION : DEFAULT_LEADER_LOCK_DURATION;
		}
		if (leaderLockDuration.compareTo(MIN_LEADER_LOCK_DURATION) < 0) {
			throw new IllegalArgumentException("dynamo-trigger.leader-lock-duration must be at least "
					+ MIN_LEADER_LOCK_DURATION.toMillis() + "ms, not " + leaderLockDuration.toMillis() + "ms");
		}
		tables.forEach((table, overrides) -> check("dynamo-trigger.tables." + table + ".", overrides));
		triggerConsumers.forEach((id, overrides) -> check("dynamo-trigger.triggers." + id + ".", overrides));
		tables = Map.copyOf(tables);
		triggerConsumers = Map.copyOf(triggerConsumers);
		triggers = Map.copyOf(triggers);
	}

	private static void check(String prefix, ConsumerOverrides overrides) {
		if (overrides.concurrency() != null) {
			checkConcurrency(prefix + "concurrency", overrides.concurrency());
		}
		if (overrides.failoverTime() != null) {
			checkFailoverTime(prefix + "failover-time", overrides.failoverTime());
		}
		if (overrides.leaseTable() != null && !TABLE_NAME.matcher(overrides.leaseTable()).matches()) {
			throw new IllegalArgumentException(prefix + "lease-table must be a DynamoDB table name (3 to 255 of"
					+ " a-z, A-Z, 0-9, '_', '-', '.'), not '" + overrides.leaseTable() + "'");
		}
	}

	private static void checkConcurrency(String property, int concurrency) {
		if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
			throw new IllegalArgumentException(property + " must be between 1 and " + MAX_CONCURRENCY + ", not "
					+ concurrency);
		}
	}

	private static void checkFailoverTime(String property, Duration failoverTime) {
		if (failoverTime.compareTo(MIN_FAILOVER_TIME) < 0) {
			throw new IllegalArgumentException(property + " must be at least " + MIN_FAILOVER_TIME.toMillis()
					+ "ms, not " + failoverTime.toMillis() + "ms");
		}
	}

	/**
	 * Returns how a table's consumer runs: each setting from a trigger of the table that sets it, else from
	 * the table's overrides, else the global one.
	 * @param table the table whose stream is read
	 * @param triggerIds the ids of the table's enabled triggers
	 * @return the table's consumer settings
	 * @throws IllegalStateException if two of the triggers set one setting to different values
	 */
	public TableConsumerSettings tableConsumer(String table, List<String> triggerIds) {
		ConsumerOverrides own = this.tables.getOrDefault(table, ConsumerOverrides.NONE);
		String leaseTable = pick(fromTriggers(table, triggerIds, "lease-table", ConsumerOverrides::leaseTable,
				Function.identity()), own.leaseTable(), this.applicationName + "-" + table);
		StartingPosition startingPosition = pick(fromTriggers(table, triggerIds, "starting-position",
				ConsumerOverrides::startingPosition, Function.identity()), own.startingPosition(),
				this.startingPosition);
		int concurrency = pick(fromTriggers(table, triggerIds, "concurrency", ConsumerOverrides::concurrency,
				Function.identity()), own.concurrency(), this.concurrency);
		Duration failoverTime = pick(fromTriggers(table, triggerIds, "failover-time", ConsumerOverrides::failoverTime,
				Function.identity()), own.failoverTime(), this.failoverTime);
		// A trigger's polling comes from its poll-interval alone, so its fixed interval tells them apart.
		PollingSettings polling = pick(fromTriggers(table, triggerIds, "poll-interval", ConsumerOverrides::polling,
				PollingSettings::fixedInterval), own.polling(), this.polling);
		return new TableConsumerSettings(leaseTable, startingPosition, concurrency, failoverTime, polling);
	}

	private <T> T fromTriggers(String table, List<String> triggerIds, String property,
			Function<ConsumerOverrides, T> setting, Function<? super T, ?> display) {
		Map<T, List<String>> idsByValue = new LinkedHashMap<>();
		for (String id : triggerIds) {
			T value = setting.apply(this.triggerConsumers.getOrDefault(id, ConsumerOverrides.NONE));
			if (value != null) {
				idsByValue.computeIfAbsent(value, (key) -> new ArrayList<>()).add(id);
			}
		}
		if (idsByValue.size() > 1) {
			String values = idsByValue.entrySet()
				.stream()
				.map((entry) -> entry.getValue() + " set " + display.apply(entry.getKey()))
				.collect(Collectors.joining(", "));
			throw new IllegalStateException("Triggers of table " + table + " share one stream consumer but disagree on"
					+ " dynamo-trigger.triggers.<id>." + property + ": " + values + ". Set dynamo-trigger.tables."
					+ table + "." + ((property.equals("poll-interval")) ? "polling.*" : property)
					+ " instead, for all triggers of the table.");
		}
		return idsByValue.isEmpty() ? null : idsByValue.keySet().iterator().next();
	}

	private static <T> T pick(T trigger, T table, T global) {
		return (trigger != null) ? trigger : (table != null) ? table : global;
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
