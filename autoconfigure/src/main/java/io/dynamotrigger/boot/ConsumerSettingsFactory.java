package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.dynamotrigger.config.ConsumerOverrides;
import io.dynamotrigger.config.ConsumerSettings;
import io.dynamotrigger.config.PollingMode;
import io.dynamotrigger.config.PollingSettings;
import org.springframework.core.env.Environment;

/**
 * Builds the consumer settings the properties describe: the global ones, each configured table's
 * overrides (polling merged value by value with the global polling) and each configured trigger's
 * overrides for its table's consumer.
 */
final class ConsumerSettingsFactory {

	private ConsumerSettingsFactory() {
	}

	static ConsumerSettings create(DynamoTriggerProperties properties, Environment environment) {
		return new ConsumerSettings(applicationName(properties, environment), properties.getStartingPosition(),
				polling(properties.getPolling()), properties.getConcurrency(), properties.getFailoverTime(),
				properties.getLeaderLockDuration(),
				properties.isFastFailover(), properties.getShutdownTimeout(), tables(properties), triggers(properties),
				TriggerSettingsFactory.defaults(properties), TriggerSettingsFactory.perTrigger(properties));
	}

	static String applicationName(DynamoTriggerProperties properties, Environment environment) {
		return (properties.getApplicationName() != null) ? properties.getApplicationName()
				: environment.getProperty("spring.application.name", "dynamo-trigger");
	}

	private static PollingSettings polling(DynamoTriggerProperties.Polling polling) {
		return new PollingSettings(polling.getMode(), polling.getRestInterval(), polling.getFixedInterval());
	}

	@SuppressWarnings("deprecation")
	private static Map<String, ConsumerOverrides> tables(DynamoTriggerProperties properties) {
		DynamoTriggerProperties.Polling global = properties.getPolling();
		Map<String, String> leaseTables = properties.getLeaseTables();
		Set<String> names = new LinkedHashSet<>(properties.getTables().keySet());
		names.addAll(leaseTables.keySet());
		Map<String, ConsumerOverrides> tables = new LinkedHashMap<>();
		for (String name : names) {
			DynamoTriggerProperties.Table table = properties.getTables().getOrDefault(name,
					new DynamoTriggerProperties.Table());
			DynamoTriggerProperties.TablePolling own = table.getPolling();
			PollingSettings polling;
			try {
				polling = new PollingSettings(pick(own.getMode(), global.getMode()),
						pick(own.getRestInterval(), global.getRestInterval()),
						pick(own.getFixedInterval(), global.getFixedInterval()));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("dynamo-trigger.tables." + name + ".polling: " + ex.getMessage(), ex);
			}
			tables.put(name, new ConsumerOverrides(pick(table.getLeaseTable(), leaseTables.get(name)),
					table.getStartingPosition(), table.getConcurrency(), table.getFailoverTime(), polling));
		}
		return tables;
	}

	private static Map<String, ConsumerOverrides> triggers(DynamoTriggerProperties properties) {
		Map<String, ConsumerOverrides> triggers = new LinkedHashMap<>();
		properties.getTriggers().forEach((id, trigger) -> {
			Duration interval = trigger.getPollInterval();
			if (interval != null && interval.isNegative()) {
				throw new IllegalArgumentException("dynamo-trigger.triggers." + id + ".poll-interval must not be"
						+ " negative, not " + interval);
			}
			PollingSettings polling = (interval != null) ? new PollingSettings(PollingMode.FIXED,
					properties.getPolling().getRestInterval(), interval) : null;
			triggers.put(id, new ConsumerOverrides(trigger.getLeaseTable(), trigger.getStartingPosition(),
					trigger.getConcurrency(), trigger.getFailoverTime(), polling));
		});
		return triggers;
	}

	private static <T> T pick(T own, T global) {
		return (own != null) ? own : global;
	}

}
