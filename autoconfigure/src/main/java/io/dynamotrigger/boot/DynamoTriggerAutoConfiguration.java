package io.dynamotrigger.boot;

import io.dynamotrigger.listener.AwsClients;
import io.dynamotrigger.listener.ConsumerSettings;
import io.dynamotrigger.listener.DynamoTriggerAnnotationBeanPostProcessor;
import io.dynamotrigger.listener.TriggerRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
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
			CloudWatchAsyncClient cloudWatch) {
		String applicationName = (properties.getApplicationName() != null) ? properties.getApplicationName()
				: environment.getProperty("spring.application.name", "dynamo-trigger");
		ConsumerSettings settings = new ConsumerSettings(applicationName, properties.getLeaseTables(),
				properties.getStartingPosition(), properties.getPollInterval(), properties.isFastFailover(),
				properties.getShutdownTimeout());
		AwsClients clients = new AwsClients(dynamoDb, dynamoDbAsync, streams, cloudWatch,
				dynamoDb.serviceClientConfiguration().region());
		return new TriggerRegistry(clients, settings);
	}

}
