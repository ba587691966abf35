package io.dynamotrigger.boot;

import java.time.Clock;

import io.dynamotrigger.error.DeadLetterHandler;
import io.dynamotrigger.error.DeadLetterRedriver;
import io.dynamotrigger.error.DynamoDbDeadLetterTable;
import io.dynamotrigger.listener.AwsClients;
import io.dynamotrigger.listener.ConsumerSettings;
import io.dynamotrigger.listener.DynamoTriggerAnnotationBeanPostProcessor;
import io.dynamotrigger.listener.PollingSettings;
import io.dynamotrigger.listener.TriggerRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
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

/**
 * Finds {@code @DynamoTrigger} methods and runs their stream consumers.
 */
@AutoConfiguration(after = DynamoTriggerClientsAutoConfiguration.class)
@ConditionalOnProperty(prefix = "dynamo-trigger", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(DynamoTriggerProperties.class)
public final class DynamoTriggerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	static DynamoTriggerAnnotationBeanPostProcessor dynamoTriggerAnnotationBeanPostProcessor() {
		return new DynamoTriggerAnnotationBeanPostProcessor();
	}

	@Bean
	@ConditionalOnMissingBean
	TriggerRegistry dynamoTriggerRegistry(DynamoTriggerProperties properties, Environment environment,
			DynamoDbClient dynamoDb, DynamoDbAsyncClient dynamoDbAsync, DynamoDbStreamsClient streams,
			CloudWatchAsyncClient cloudWatch, DeadLetterHandler deadLetters) {
		ConsumerSettings settings = new ConsumerSettings(applicationName(properties, environment),
				properties.getLeaseTables(), properties.getStartingPosition(),
				pollingSettings(properties.getPolling()), properties.isFastFailover(), properties.getShutdownTimeout(),
				ErrorPolicies.global(properties), ErrorPolicies.perTrigger(properties));
		AwsClients clients = new AwsClients(dynamoDb, dynamoDbAsync, streams, cloudWatch,
				dynamoDb.serviceClientConfiguration().region());
		return new TriggerRegistry(clients, settings, deadLetters);
	}

	private static PollingSettings pollingSettings(DynamoTriggerProperties.Polling polling) {
		return new PollingSettings(polling.getMode(), polling.getRestInterval(), polling.getFixedInterval());
	}

	private static String applicationName(DynamoTriggerProperties properties, Environment environment) {
		return (properties.getApplicationName() != null) ? properties.getApplicationName()
				: environment.getProperty("spring.application.name", "dynamo-trigger");
	}

	/**
	 * Dead letters in a DynamoDB table, unless the application defines its own {@link DeadLetterHandler}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(DeadLetterHandler.class)
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
		@ConditionalOnMissingBean
		DeadLetterRedriver dynamoTriggerDeadLetterRedriver(DynamoDbDeadLetterTable deadLetters,
				TriggerRegistry registry) {
			return new DeadLetterRedriver(deadLetters, registry, Clock.systemUTC());
		}

	}

}
