package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.dynamotrigger.config.BatchSettings;
import io.dynamotrigger.config.ConsumerSettings;
import io.dynamotrigger.config.KclApplicationMode;
import io.dynamotrigger.config.PollingMode;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Checks the bound {@link DynamoTriggerProperties} before anything is built from them: every rule on a value,
 * and the properties that no longer exist. A failure names the property and says what to set instead.
 */
final class SettingsValidator {

	private static final String PREFIX = "dynamo-trigger.";

	private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("dynamo-trigger");

	private static final ConfigurationPropertyName TRIGGERS = ConfigurationPropertyName.of("dynamo-trigger.triggers");

	private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");

	/** Settings of a table's consumer that a trigger cannot set, with what the table sets instead. */
	/** The names of a trigger's settings ({@link DynamoTriggerProperties.Trigger}), dashed. */
	private static final List<String> TRIGGER_SETTING_NAMES = Arrays
		.stream(DynamoTriggerProperties.Trigger.class.getRecordComponents())
		.map((component) -> component.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT))
		.toList();

	/** The same, as relaxed binding compares them: lowercase, no dashes. */
	private static final Set<String> TRIGGER_SETTINGS = TRIGGER_SETTING_NAMES.stream()
		.map((setting) -> setting.replace("-", ""))
		.collect(Collectors.toSet());

	private static final Map<String, String> TABLE_SETTINGS = Map.of("lease-table", "lease-table",
			"starting-position", "starting-position", "concurrency", "concurrency", "failover-time", "failover-time",
			"poll-interval", "polling.fixed-interval (with polling.mode=fixed)", "polling", "polling.*");

	/** Removed global properties, with what to set instead. */
	private static final Map<String, String> REMOVED = Map.of("lease-tables",
			PREFIX + "tables.<table>.lease-table", "poll-interval",
			PREFIX + "polling.fixed-interval (with dynamo-trigger.polling.mode=fixed)");

	private SettingsValidator() {
	}

	/**
	 * Checks the properties.
	 * @param properties the bound properties
	 * @param environment where they were bound from, searched for properties that no longer exist
	 * @throws IllegalStateException naming the first property that is out of range or no longer exists
	 */
	static void validate(DynamoTriggerProperties properties, Environment environment) {
		ConfigurationPropertySources.get(environment).forEach(SettingsValidator::checkNoRemovedProperty);
		checkConcurrency(PREFIX + "concurrency", properties.concurrency());
		checkFailoverTime(PREFIX + "failover-time", properties.failoverTime());
		checkAtLeast(PREFIX + "leader-lock-duration", properties.leaderLockDuration(),
				ConsumerSettings.MIN_LEADER_LOCK_DURATION);
		checkPolling(PREFIX + "polling.", properties.polling());
		Duration stallTimeout = properties.health().stallTimeout();
		checkReadsWithinStallTimeout(PREFIX + "polling.", properties.polling(), stallTimeout);
		checkMaxAttempts(PREFIX + "retry.max-attempts", properties.retry().maxAttempts());
		if (properties.pause().maxHeldRecords() < 1) {
			throw new IllegalStateException(PREFIX + "pause.max-held-records must be at least 1 (records a shard reads"
					+ " past a paused trigger's oldest held record), was " + properties.pause().maxHeldRecords());
		}
		boolean shared = properties.kcl().applicationMode() == KclApplicationMode.SHARED;
		Duration removedTables = properties.kcl().deleteLeasesOfRemovedTablesAfter();
		if (removedTables != null && !shared) {
			throw new IllegalStateException(PREFIX + "kcl.delete-leases-of-removed-tables-after applies to "
					+ PREFIX + "kcl.application-mode=shared only; in per-table mode a table no longer triggered keeps its"
					+ " own lease table, which nothing reads: delete that table instead, or set the application mode");
		}
		int readThreads = properties.kcl().maxReadThreads();
		if (readThreads < 1 || readThreads > ConsumerSettings.MAX_READ_THREADS) {
			throw new IllegalStateException(PREFIX + "kcl.max-read-threads must be between 1 and "
					+ ConsumerSettings.MAX_READ_THREADS + ", was " + readThreads);
		}
		if (removedTables != null && removedTables.isNegative()) {
			throw new IllegalStateException(PREFIX + "kcl.delete-leases-of-removed-tables-after must not be negative,"
					+ " was " + removedTables);
		}
		properties.tables().forEach((name, table) -> {
			String prefix = PREFIX + "tables." + name + ".";
			if (shared) {
				checkNotSetWhenShared(prefix + "lease-table", table.leaseTable(), "all tables share one lease table, "
						+ PREFIX + "application-name; set that instead");
				checkNotSetWhenShared(prefix + "failover-time", table.failoverTime(), "one scheduler leases the shards"
						+ " of all tables with one failover time; set " + PREFIX + "failover-time instead");
			}
			if (table.concurrency() != null) {
				checkConcurrency(prefix + "concurrency", table.concurrency());
			}
			checkFailoverTime(prefix + "failover-time", table.failoverTime());
			if (table.leaseTable() != null && !TABLE_NAME.matcher(table.leaseTable()).matches()) {
				throw new IllegalStateException(prefix + "lease-table must be a DynamoDB table name (3 to 255 of"
						+ " a-z, A-Z, 0-9, '_', '-', '.'), was '" + table.leaseTable() + "'");
			}
			if (table.polling() != null) {
				checkPolling(prefix + "polling.", table.polling());
				checkReadsWithinStallTimeout(prefix + "polling.", table.polling(), stallTimeout);
			}
		});
		properties.triggers().forEach((id, trigger) -> {
			String prefix = PREFIX + "triggers." + id + ".";
			if (trigger.retry().maxAttempts() != null) {
				checkMaxAttempts(prefix + "retry.max-attempts", trigger.retry().maxAttempts());
			}
			if (trigger.batchSize() != null && !BatchSettings.isAllowedSize(trigger.batchSize())) {
				throw new IllegalStateException(prefix + "batch-size is " + trigger.batchSize() + "; set "
						+ BatchSettings.SIZE_RANGE + ".");
			}
			if (trigger.batchWindow() != null && !BatchSettings.isAllowedWindow(trigger.batchWindow())) {
				throw new IllegalStateException(prefix + "batch-window is " + trigger.batchWindow() + "; set "
						+ BatchSettings.WINDOW_RANGE + ".");
			}
			if (trigger.deadLetter().s3Bucket() != null) {
				throw new IllegalStateException(prefix + "dead-letter.s3-bucket is not a trigger setting: the dead"
						+ " letters of every destination that are too large for it go to one bucket, so set "
						+ PREFIX + "dead-letter.s3-bucket.");
			}
		});
	}

	private static void checkNoRemovedProperty(ConfigurationPropertySource source) {
		if (source instanceof IterableConfigurationPropertySource iterable) {
			iterable.stream().forEach(SettingsValidator::checkNotRemoved);
		}
	}

	private static void checkNotRemoved(ConfigurationPropertyName name) {
		if (TRIGGERS.isAncestorOf(name) && name.getNumberOfElements() > 3) {
			String setting = name.getElement(3, Form.DASHED);
			String instead = TABLE_SETTINGS.get(setting);
			if (instead != null) {
				String property = PREFIX + "triggers." + name.getElement(2, Form.ORIGINAL) + "." + setting;
				throw new IllegalStateException(property + " is not a trigger setting: one consumer reads the stream"
						+ " of a table for all its triggers, so set " + PREFIX + "tables.<table>." + instead
						+ " for the trigger's table.");
			}
			if (!TRIGGER_SETTINGS.contains(name.getElement(3, Form.UNIFORM))) {
				// Binding would take the id's first part for the id and drop the rest without a word.
				String id = name.getElement(2, Form.ORIGINAL) + "." + name.getElement(3, Form.ORIGINAL);
				throw new IllegalStateException(name + " names no trigger setting after triggers."
						+ name.getElement(2, Form.ORIGINAL) + "; a trigger id with dots (the default is"
						+ " <bean name>.<method name>) needs brackets: " + PREFIX + "triggers[" + id + "]."
						+ name.subName(4) + ". The settings of a trigger are " + TRIGGER_SETTING_NAMES + ".");
			}
		}
		else if (ROOT.isAncestorOf(name) && REMOVED.containsKey(name.getElement(1, Form.DASHED))) {
			String removed = name.getElement(1, Form.DASHED);
			throw new IllegalStateException(PREFIX + removed + " no longer exists; set " + REMOVED.get(removed)
					+ " instead.");
		}
	}

	private static void checkNotSetWhenShared(String property, Object value, String why) {
		if (value != null) {
			throw new IllegalStateException(property + " is set, but with " + PREFIX
					+ "kcl.application-mode=shared (the default) " + why + ", or set " + PREFIX
					+ "kcl.application-mode=per-table to give each table a KCL application of its own.");
		}
	}

	private static void checkConcurrency(String property, int concurrency) {
		if (concurrency < 1 || concurrency > ConsumerSettings.MAX_CONCURRENCY) {
			throw new IllegalStateException(property + " must be between 1 and " + ConsumerSettings.MAX_CONCURRENCY
					+ ", was " + concurrency);
		}
	}

	private static void checkFailoverTime(String property, Duration failoverTime) {
		checkAtLeast(property, failoverTime, ConsumerSettings.MIN_FAILOVER_TIME);
	}

	private static void checkAtLeast(String property, Duration value, Duration min) {
		if (value != null && value.compareTo(min) < 0) {
			throw new IllegalStateException(property + " must be at least " + min.toMillis() + "ms, was "
					+ value.toMillis() + "ms");
		}
	}

	private static void checkPolling(String prefix, DynamoTriggerProperties.Polling polling) {
		if (polling.restInterval().isNegative() || polling.restInterval().isZero()) {
			throw new IllegalStateException(prefix + "rest-interval must be positive, was " + polling.restInterval());
		}
		if (polling.fixedInterval().isNegative()) {
			throw new IllegalStateException(prefix + "fixed-interval must not be negative, was "
					+ polling.fixedInterval());
		}
	}

	/**
	 * A shard at rest is read once per pause; with a stall timeout no longer than the pause it would look
	 * stalled (no read) between any two reads.
	 */
	private static void checkReadsWithinStallTimeout(String prefix, DynamoTriggerProperties.Polling polling,
			Duration stallTimeout) {
		boolean fixed = polling.mode() == PollingMode.FIXED;
		Duration longestPause = fixed ? polling.fixedInterval().multipliedBy(2) : polling.restInterval();
		if (stallTimeout.compareTo(longestPause) <= 0) {
			String interval = prefix + (fixed ? "fixed-interval (twice that after an empty read)" : "rest-interval");
			throw new IllegalStateException(PREFIX + "health.stall-timeout must be longer than the longest pause"
					+ " between two reads of a shard, " + longestPause + " by " + interval + ", was " + stallTimeout
					+ "; a shard at rest would look stalled");
		}
	}

	private static void checkMaxAttempts(String property, int maxAttempts) {
		if (maxAttempts < 1) {
			throw new IllegalStateException(property + " must be at least 1 (the first call), was " + maxAttempts);
		}
	}

}
