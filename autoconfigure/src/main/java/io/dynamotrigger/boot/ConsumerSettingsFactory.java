package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.dynamotrigger.config.ConsumerSettings;
import io.dynamotrigger.config.KclApplicationMode;
import io.dynamotrigger.config.PollingSettings;
import io.dynamotrigger.config.TableConsumerSettings;
import org.springframework.core.env.Environment;

/**
 * Builds the consumer settings the properties describe, once {@link SettingsValidator} has checked them: the
 * global ones, each configured table's consumer (what the table leaves unset taken from the global ones) and
 * the settings of the triggers.
 */
final class ConsumerSettingsFactory {

	private ConsumerSettingsFactory() {
	}

	static ConsumerSettings create(DynamoTriggerProperties properties, Environment environment) {
		SettingsValidator.validate(properties, environment);
		String applicationName = applicationName(properties, environment);
		boolean fast = properties.fastFailover();
		Duration failoverTime = pick(properties.failoverTime(),
				fast ? ConsumerSettings.FAST_FAILOVER_TIME : ConsumerSettings.DEFAULT_FAILOVER_TIME);
		Duration leaderLockDuration = pick(properties.leaderLockDuration(),
				fast ? ConsumerSettings.FAST_LEADER_LOCK_DURATION : ConsumerSettings.DEFAULT_LEADER_LOCK_DURATION);
		PollingSettings polling = polling(properties.polling());
		KclApplicationMode mode = properties.kcl().applicationMode();
		Map<String, TableConsumerSettings> tables = new LinkedHashMap<>();
		properties.tables().forEach((name, table) -> tables.put(name, new TableConsumerSettings(
				(mode == KclApplicationMode.SHARED) ? applicationName : pick(table.leaseTable(), applicationName + "-" + name),
				pick(table.startingPosition(), properties.startingPosition()),
				pick(table.concurrency(), properties.concurrency()), pick(table.failoverTime(), failoverTime),
				(table.polling() != null) ? polling(table.polling()) : polling)));
		return new ConsumerSettings(applicationName, mode, properties.startingPosition(), polling, properties.concurrency(),
				failoverTime, leaderLockDuration, fast, properties.shutdownTimeout(), properties.health().stallTimeout(),
				tables,
				TriggerSettingsFactory.defaults(properties), TriggerSettingsFactory.perTrigger(properties),
				properties.pause().maxHeldRecords(), properties.kcl().deleteLeasesOfRemovedTablesAfter(),
				properties.kcl().maxReadThreads());
	}

	static String applicationName(DynamoTriggerProperties properties, Environment environment) {
		return (properties.applicationName() != null) ? properties.applicationName()
				: environment.getProperty("spring.application.name", "dynamo-trigger");
	}

	private static PollingSettings polling(DynamoTriggerProperties.Polling polling) {
		return new PollingSettings(polling.mode(), polling.restInterval(), polling.fixedInterval());
	}

	/**
	 * Returns a table's or a trigger's own setting, or the global one where it sets none.
	 */
	static <T> T pick(T own, T global) {
		return (own != null) ? own : global;
	}

}
