package io.dynamotrigger.boot;

import java.time.Clock;

import io.dynamotrigger.error.DeadLetterDestinations;
import io.dynamotrigger.error.DeadLetterRedriver;
import io.dynamotrigger.listener.TriggerRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code dynamoTrigger} and {@code dynamoTriggerBackfill} health indicators and the {@code dynamotriggers} actuator endpoint, when
 * Spring Boot's health and actuator modules are on the classpath.
 */
@AutoConfiguration(after = DynamoTriggerAutoConfiguration.class)
@ConditionalOnBean(TriggerRegistry.class)
public final class DynamoTriggerActuatorAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	@ConditionalOnEnabledHealthIndicator("dynamoTrigger")
	static class Health {

		@Bean
		@ConditionalOnMissingBean(name = "dynamoTriggerHealthIndicator")
		HealthIndicator dynamoTriggerHealthIndicator(TriggerRegistry registry, DynamoTriggerProperties properties) {
			return new DynamoTriggerHealthIndicator(registry::status, properties.health().stallTimeout(),
					properties.health().shardEndTimeout(), properties.health().takeoverTimeout(),
					Clock.systemUTC());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	@ConditionalOnEnabledHealthIndicator("dynamoTriggerBackfill")
	static class BackfillHealth {

		@Bean
		@ConditionalOnMissingBean(name = "dynamoTriggerBackfillHealthIndicator")
		HealthIndicator dynamoTriggerBackfillHealthIndicator(TriggerRegistry registry) {
			return new DynamoTriggerBackfillHealthIndicator(registry::backfillProgress);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	@ConditionalOnAvailableEndpoint(DynamoTriggersEndpoint.class)
	static class TriggersEndpoint {

		@Bean
		@ConditionalOnMissingBean
		DynamoTriggersEndpoint dynamoTriggersEndpoint(TriggerRegistry registry,
				ObjectProvider<DeadLetterDestinations> deadLetters, ObjectProvider<DeadLetterRedriver> redriver) {
			return new DynamoTriggersEndpoint(registry, deadLetters, redriver);
		}

	}

}
