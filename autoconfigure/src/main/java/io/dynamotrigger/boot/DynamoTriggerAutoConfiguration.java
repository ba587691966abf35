package io.dynamotrigger.boot;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import io.dynamotrigger.error.DeadLetterHandler;
import io.dynamotrigger.error.DeadLetterRedriver;
import io.dynamotrigger.error.DynamoDbDeadLetterTable;
import io.dynamotrigger.error.SqsDeadLetterQueue;
import io.dynamotrigger.listener.AwsClients;
import io.dynamotrigger.listener.ConsumerSettings;
import io.dynamotrigger.listener.DynamoTriggerAnnotationBeanPostProcessor;
import io.dynamotrigger.listener.PollingSettings;
import io.dynamotrigger.listener.StreamEventRouter;
import io.dynamotrigger.listener.TriggerRegistry;
import io.dynamotrigger.metrics.MicrometerTriggerMetrics;
import io.dynamotrigger.metrics.TriggerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Finds {@code @DynamoTrigger} methods and runs their stream consumers.
 */
@AutoConfiguration(after = DynamoTriggerClientsAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnProperty(prefix = "dynamo-trigger", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(DynamoTriggerProperties.class)
public final class DynamoTriggerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	static DynamoTriggerAnnotationBeanPostProcessor dynamoTriggerAnnotationBeanPostProcessor() {
		return new DynamoTriggerAnnotationBeanPostProcessor();
	}

	/**
	 * The registry that reads the streams, unless an application defines one or has a
	 * {@link StreamEventRouter} (records are handed in, e.g. by AWS Lambda, and no stream is read).
	 */
	@Bean
	@ConditionalOnMissingBean({ TriggerRegistry.class, StreamEventRouter.class })
	TriggerRegistry dynamoTriggerRegistry(DynamoTriggerProperties properties, Environment environment,
			DynamoDbClient dynamoDb, DynamoDbAsyncClient dynamoDbAsync, DynamoDbStreamsClient streams,
			CloudWatchAsyncClient cloudWatch, DeadLetterHandler deadLetters, ObjectProvider<TriggerMetrics> metrics,
			ObjectProvider<ObservationRegistry> observations) {
		ConsumerSettings settings = new ConsumerSettings(applicationName(properties, environment),
				properties.getLeaseTables(), properties.getStartingPosition(), pollingSettings(properties.getPolling()),
				tablePolling(properties),
				properties.isFastFailover(), properties.getShutdownTimeout(), properties.getConcurrency(),
				TriggerSettingsFactory.defaults(properties), TriggerSettingsFactory.perTrigger(properties));
		AwsClients clients = new AwsClients(dynamoDb, dynamoDbAsync, streams, cloudWatch,
				dynamoDb.serviceClientConfiguration().region());
		ObservationRegistry observationRegistry = properties.isObservationEnabled()
				? observations.getIfAvailable(() -> ObservationRegistry.NOOP) : ObservationRegistry.NOOP;
		return new TriggerRegistry(clients, settings, deadLetters, metrics.getIfAvailable(() -> TriggerMetrics.NONE),
				observationRegistry);
	}

	private static PollingSettings pollingSettings(DynamoTriggerProperties.Polling polling) {
		return new PollingSettings(polling.getMode(), polling.getRestInterval(), polling.getFixedInterval());
	}

	private static Map<String, PollingSettings> tablePolling(DynamoTriggerProperties properties) {
		DynamoTriggerProperties.Polling global = properties.getPolling();
		Map<String, PollingSettings> polling = new LinkedHashMap<>();
		properties.getTables().forEach((table, settings) -> {
			DynamoTriggerProperties.TablePolling own = settings.getPolling();
			polling.put(table, new PollingSettings((own.getMode() != null) ? own.getMode() : global.getMode(),
					(own.getRestInterval() != null) ? own.getRestInterval() : global.getRestInterval(),
					(own.getFixedInterval() != null) ? own.getFixedInterval() : global.getFixedInterval()));
		});
		return polling;
	}

	private static String applicationName(DynamoTriggerProperties properties, Environment environment) {
		return (properties.getApplicationName() != null) ? properties.getApplicationName()
				: environment.getProperty("spring.application.name", "dynamo-trigger");
	}

	/**
	 * Trigger metrics in Micrometer, when the application has a {@link MeterRegistry}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MicrometerMetrics {

		@Bean
		@ConditionalOnMissingBean
		TriggerMetrics dynamoTriggerMetrics(MeterRegistry registry) {
			return new MicrometerTriggerMetrics(registry);
		}

	}

	/**
	 * Dead letters in an SQS queue, when {@code dynamo-trigger.dead-letter.sqs-queue-url} is set and the
	 * application defines no {@link DeadLetterHandler}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SqsClient.class)
	@ConditionalOnProperty(prefix = "dynamo-trigger.dead-letter", name = "sqs-queue-url")
	@ConditionalOnMissingBean(DeadLetterHandler.class)
	static class SqsDeadLetters {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		SqsClient sqsClient(AwsClientSettings settings) {
			return settings.apply(SqsClient.builder()).build();
		}

		@Bean
		SqsDeadLetterQueue dynamoTriggerSqsDeadLetterQueue(SqsClient sqs, DynamoTriggerProperties properties) {
			return new SqsDeadLetterQueue(sqs, properties.getDeadLetter().getSqsQueueUrl());
		}

	}

	/**
	 * Dead letters in a DynamoDB table, unless the application defines its own {@link DeadLetterHandler} or
	 * names an SQS queue.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(DeadLetterHandler.class)
	@ConditionalOnExpression("'${dynamo-trigger.dead-letter.sqs-queue-url:}'.isEmpty()")
	static class DynamoDbDeadLetters {

		@Bean
		DynamoDbDeadLetterTable dynamoTriggerDeadLetterTable(DynamoTriggerProperties properties,
				Environment environment, DynamoDbClient dynamoDb) {
			String tableName = (properties.getDeadLetter().getTableName() != null)
					? properties.getDeadLetter().getTableName()
					: applicationName(properties, environment) + "-dead-letters";
			return new DynamoDbDeadLetterTable(dynamoDb, tableName);
		}

		@Bean
		@ConditionalOnMissingBean({ DeadLetterRedriver.class, StreamEventRouter.class })
		DeadLetterRedriver dynamoTriggerDeadLetterRedriver(DynamoDbDeadLetterTable deadLetters,
				TriggerRegistry registry) {
			return new DeadLetterRedriver(deadLetters, registry, Clock.systemUTC());
		}

	}

}
