package io.dynamotrigger.boot;

import java.time.Clock;

import io.dynamotrigger.error.DeadLetterDestinations;
import io.dynamotrigger.error.DeadLetterRedriver;
import io.dynamotrigger.listener.TriggerRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@link DeadLetterRedriver}, when the triggers read their streams through a {@link TriggerRegistry} and
 * their dead letters go to the starter's destinations: redrive reads a trigger's DynamoDB dead-letter table and
 * calls the trigger through the registry. An application with its own {@code DeadLetterHandler}, or whose
 * records are handed in (AWS Lambda), has no redriver.
 */
@AutoConfiguration(after = DynamoTriggerAutoConfiguration.class)
@ConditionalOnBean({ TriggerRegistry.class, DeadLetterDestinations.class })
public final class DynamoTriggerRedriveAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DeadLetterRedriver dynamoTriggerDeadLetterRedriver(DeadLetterDestinations destinations, TriggerRegistry registry) {
		return new DeadLetterRedriver(destinations, registry, Clock.systemUTC());
	}

}
