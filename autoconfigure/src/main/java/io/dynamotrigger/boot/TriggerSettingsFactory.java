package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.dynamotrigger.config.TriggerSettings;
import io.dynamotrigger.error.ErrorPolicy;
import io.dynamotrigger.mapping.RecordMappingException;

import static io.dynamotrigger.boot.ConsumerSettingsFactory.pick;

/**
 * Builds the trigger settings the properties describe: the defaults, and one per configured trigger with
 * its unset values taken from the global ones.
 */
final class TriggerSettingsFactory {

	private static final DynamoTriggerProperties.TriggerRetry GLOBAL_RETRY = new DynamoTriggerProperties.TriggerRetry(
			null, null, null, null);

	private TriggerSettingsFactory() {
	}

	static TriggerSettings defaults(DynamoTriggerProperties properties) {
		return new TriggerSettings(true, true, policy(properties.retry(), GLOBAL_RETRY,
				properties.nonRetryableExceptions(), properties.maxRecordAge(), properties.bisectBatchOnError()), null,
				null);
	}

	static Map<String, TriggerSettings> perTrigger(DynamoTriggerProperties properties) {
		Map<String, TriggerSettings> settings = new LinkedHashMap<>();
		properties.triggers().forEach((id, trigger) -> {
			Set<Class<? extends Throwable>> nonRetryable = new HashSet<>(properties.nonRetryableExceptions());
			nonRetryable.addAll(trigger.nonRetryableExceptions());
			Duration maxRecordAge = pick(trigger.maxRecordAge(), properties.maxRecordAge());
			boolean bisect = pick(trigger.bisectBatchOnError(), properties.bisectBatchOnError());
			settings.put(id, new TriggerSettings(trigger.enabled(), trigger.autoStartup(),
					policy(properties.retry(), trigger.retry(), nonRetryable, maxRecordAge, bisect),
					trigger.batchSize(), trigger.batchWindow()));
		});
		return settings;
	}

	private static ErrorPolicy policy(DynamoTriggerProperties.Retry global, DynamoTriggerProperties.TriggerRetry own,
			Iterable<Class<? extends Throwable>> nonRetryable, Duration maxRecordAge, boolean bisectBatchOnError) {
		Set<Class<? extends Throwable>> types = new HashSet<>(Set.of(RecordMappingException.class));
		nonRetryable.forEach(types::add);
		return new ErrorPolicy(ErrorPolicy.exponentialBackOff(
				pick(own.initialInterval(), global.initialInterval()), pick(own.multiplier(), global.multiplier()),
				pick(own.maxInterval(), global.maxInterval()), pick(own.maxAttempts(), global.maxAttempts())), types,
				maxRecordAge, bisectBatchOnError);
	}

}
