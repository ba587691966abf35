package io.dynamotrigger.lambda;

import java.util.Set;

import io.dynamotrigger.boot.DynamoTriggerAutoConfiguration;
import io.dynamotrigger.boot.DynamoTriggerProperties;
import io.dynamotrigger.metrics.TriggerMetrics;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The Lambda wiring, on when {@code dynamo-trigger.lambda.enabled=true} (which {@link DynamoTriggerHandler}
 * sets): a {@link StreamEventRouter} is the application's {@code TriggerEndpointRegistrar} and takes the
 * triggers, so the starter creates no stream-reading {@code TriggerRegistry} (nor its redriver), and no KCL
 * consumer or lease table exists. The starter's clients that only the stream consumers use
 * (async DynamoDB, DynamoDB Streams) are created only if something asks for them, to keep the
 * cold start short.
 */
@AutoConfiguration(before = DynamoTriggerAutoConfiguration.class)
@ConditionalOnProperty(prefix = "dynamo-trigger.lambda", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(DynamoTriggerProperties.class)
public final class DynamoTriggerLambdaAutoConfiguration {

	private static final Set<String> CONSUMER_CLIENTS = Set.of("dynamoDbAsyncClient", "dynamoDbStreamsClient");

	@Bean
	@ConditionalOnMissingBean
	StreamEventRouter dynamoTriggerStreamEventRouter(DynamoTriggerProperties properties,
			ObjectProvider<TriggerMetrics> metrics, ObjectProvider<ObservationRegistry> observations) {
		properties.triggers().forEach((id, trigger) -> {
			if (Boolean.TRUE.equals(trigger.idempotent())) {
				throw new IllegalStateException("dynamo-trigger.triggers." + id + ".idempotent=true, but records handed"
						+ " in by Lambda have no idempotency table here; remove the property (Lambda's own idempotency"
						+ " utilities fit there), or run the trigger with the stream consumer.");
			}
		});
		return new StreamEventRouter((id) -> {
			DynamoTriggerProperties.Trigger trigger = properties.triggers().get(id);
			return trigger == null || trigger.enabled();
		}, properties.triggers().keySet(), metrics.getIfAvailable(() -> TriggerMetrics.NONE),
				observations.getIfAvailable(() -> ObservationRegistry.NOOP));
	}

	@Bean
	static BeanFactoryPostProcessor dynamoTriggerLazyConsumerClients() {
		return (beanFactory) -> {
			for (String name : CONSUMER_CLIENTS) {
				if (beanFactory.containsBeanDefinition(name)) {
					beanFactory.getBeanDefinition(name).setLazyInit(true);
				}
			}
		};
	}

}
