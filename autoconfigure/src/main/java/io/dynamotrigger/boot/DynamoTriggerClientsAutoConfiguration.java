package io.dynamotrigger.boot;

import io.dynamotrigger.kcl.TrimmedRecordsDetector;
import io.dynamotrigger.metrics.TriggerMetrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The AWS clients triggers run on, each created only when the application defines none of its type.
 * They use {@code dynamo-trigger.aws.*}, an {@link AwsCredentialsProvider} bean if there is one, and
 * otherwise the SDK's default chains. The streams client carries a {@link TrimmedRecordsDetector}; add
 * one to a streams client of your own to keep lost records visible.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "dynamo-trigger", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(DynamoTriggerProperties.class)
public final class DynamoTriggerClientsAutoConfiguration {

	@Bean
	AwsClientSettings dynamoTriggerAwsClientSettings(DynamoTriggerProperties properties,
			ObjectProvider<AwsCredentialsProvider> credentials) {
		return new AwsClientSettings(properties.aws(), credentials.getIfUnique());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	DynamoDbClient dynamoDbClient(AwsClientSettings settings) {
		return settings.apply(DynamoDbClient.builder()).build();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	DynamoDbAsyncClient dynamoDbAsyncClient(AwsClientSettings settings) {
		return settings.apply(DynamoDbAsyncClient.builder()).build();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	DynamoDbStreamsClient dynamoDbStreamsClient(AwsClientSettings settings, ObjectProvider<TriggerMetrics> metrics) {
		TrimmedRecordsDetector trimmedRecords = new TrimmedRecordsDetector(
				() -> metrics.getIfAvailable(() -> TriggerMetrics.NONE));
		return settings.apply(DynamoDbStreamsClient.builder())
			.overrideConfiguration((config) -> config.addExecutionInterceptor(trimmedRecords))
			.build();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	CloudWatchAsyncClient cloudWatchAsyncClient(AwsClientSettings settings) {
		return settings.apply(CloudWatchAsyncClient.builder()).build();
	}

}
