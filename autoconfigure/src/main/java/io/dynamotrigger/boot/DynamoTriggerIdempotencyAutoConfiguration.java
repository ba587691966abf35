package io.dynamotrigger.boot;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

import io.dynamotrigger.idempotency.Idempotency;
import io.dynamotrigger.idempotency.IdempotencyMeters;
import io.dynamotrigger.idempotency.IdempotencyTable;
import io.dynamotrigger.idempotency.MicrometerIdempotencyMeters;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Idempotent triggers: which triggers are, and the idempotency table they claim their records in. The table is
 * created when the triggers start, and only if one of them is idempotent.
 */
@AutoConfiguration(after = DynamoTriggerClientsAutoConfiguration.class, before = DynamoTriggerAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnProperty(prefix = "dynamo-trigger", name = "enabled", matchIfMissing = true)
@ConditionalOnBean(DynamoDbClient.class)
@EnableConfigurationProperties({ DynamoTriggerProperties.class, IdempotencyProperties.class })
public final class DynamoTriggerIdempotencyAutoConfiguration {

	private static final String PREFIX = "dynamo-trigger.idempotency.";

	private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

	@Bean
	@ConditionalOnMissingBean
	Idempotency dynamoTriggerIdempotency(IdempotencyProperties idempotency, DynamoTriggerProperties properties,
			Environment environment, DynamoDbClient dynamoDb, BeanFactory beanFactory) {
		check(idempotency);
		String tableName = (idempotency.tableName() != null) ? idempotency.tableName()
				: ConsumerSettingsFactory.applicationName(properties, environment) + "-idempotency";
		IdempotencyTable table = new IdempotencyTable(dynamoDb, tableName, idempotency.expiry(),
				idempotency.lockTimeout(), Clock.systemUTC());
		Function<String, IdempotencyMeters> meters = ClassUtils.isPresent(METER_REGISTRY, null)
				? MicrometerMeters.of(beanFactory) : (id) -> IdempotencyMeters.NONE;
		return new Idempotency(table, (id) -> {
			DynamoTriggerProperties.Trigger trigger = properties.triggers().get(id);
			return (trigger != null) ? trigger.idempotent() : null;
		}, (name) -> beanFactory.containsBean(name) ? beanFactory.getBean(name) : null,
				meters);
	}

	private static void check(IdempotencyProperties idempotency) {
		if (idempotency.lockTimeout().compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalStateException(PREFIX + "lock-timeout is " + idempotency.lockTimeout()
					+ "; set at least 1s (longer than a call of an idempotent trigger with its retries).");
		}
		if (idempotency.expiry().compareTo(idempotency.lockTimeout()) < 0) {
			throw new IllegalStateException(PREFIX + "expiry is " + idempotency.expiry() + ", shorter than "
					+ PREFIX + "lock-timeout (" + idempotency.lockTimeout() + "); set it to at least that (default 24h,"
					+ " the stream's retention).");
		}
	}

	/**
	 * The meters of idempotent triggers in the application's {@link MeterRegistry}, if it has one; loaded only when
	 * Micrometer is on the classpath.
	 */
	private static final class MicrometerMeters {

		static Function<String, IdempotencyMeters> of(BeanFactory beanFactory) {
			MeterRegistry registry = beanFactory.getBeanProvider(MeterRegistry.class).getIfAvailable();
			return (id) -> (registry != null) ? MicrometerIdempotencyMeters.of(registry, id) : IdempotencyMeters.NONE;
		}

	}

}
