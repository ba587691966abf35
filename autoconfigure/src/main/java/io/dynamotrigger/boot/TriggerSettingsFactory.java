package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.dynamotrigger.config.TriggerSettings;
import io.dynamotrigger.error.ErrorPolicy;

/**
 * Builds the trigger settings the properties describe: the defaults, and one per configured trigger with
 * its unset values taken from the global ones.
 */
final class TriggerSettingsFactory {

	private TriggerSettingsFactory() {
	}

	static TriggerSettings defaults(DynamoTriggerProperties properties) {
		return new TriggerSettings(true, true, policy(properties.getRetry(), new DynamoTriggerProperties.Retry(),
				properties.getNonRetryableExceptions(), properties.getMaxRecordAge(),
				properties.isBisectBatchOnError()), null, null);
	}

	static Map<String, TriggerSettings> perTrigger(DynamoTriggerProperties properties) {
		Map<String, TriggerSettings> settings = new LinkedHashMap<>();
		properties.getTriggers().forEach((id, trigger) -> {
			Set<Class<? extends Throwable>> nonRetryable = new HashSet<>(properties.getNonRetryableExceptions());
			nonRetryable.addAll(trigger.getNonRetryableExceptions());
			Duration maxRecordAge = pick(trigger.getMaxRecordAge(), properties.getMaxRecordAge());
			boolean bisect = pick(trigger.getBisectBatchOnError(), properties.isBisectBatchOnError());
			settings.put(id, new TriggerSettings(trigger.isEnabled(), trigger.isAutoStartup(),
					policy(properties.getRetry(), trigger.getRetry(), nonRetryable, maxRecordAge, bisect),
					trigger.getBatchSize(), trigger.getBatchWindow()));
		});
		return settings;
	}

	private static ErrorPolicy policy(DynamoTriggerProperties.Retry global, DynamoTriggerProperties.Retry own,
			Iterable<Class<? extends Throwable>> nonRetryable, Duration maxRecordAge, boolean bisectBatchOnError) {
		Set<Class<? extends Throwable>> types = new HashSet<>(ErrorPolicy.defaults().nonRetryable());
		nonRetryable.forEach(types::add);
		return new ErrorPolicy(ErrorPolicy.exponentialBackOff(
				pick(own.getInitialInterval(), global.getInitialInterval()),
				pick(own.getMultiplier(), global.getMultiplier()), pick(own.getMaxInterval(), global.getMaxInterval()),
				pick(own.getMaxAttempts(), global.getMaxAttempts())), types, maxRecordAge, bisectBatchOnError);
	}

	private static <T> T pick(T own, T global) {
		return (own != null) ? own : global;
	}

}
