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
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The AWS clients triggers run on, each created only when the application has none of its type.
 * <ul>
 * <li>{@link DynamoDbClient}: the application's own or Spring Cloud AWS's when there is one (this
 * configuration runs after Spring Cloud AWS's, which stays optional: it is named, not imported); otherwise
 * built from {@code dynamo-trigger.aws.*}, the application's {@link AwsRegionProvider} and
 * {@link AwsCredentialsProvider} (Spring Cloud AWS publishes both) and the SDK's default chains.</li>
 * <li>{@link DynamoDbAsyncClient} (KCL's leases) and {@link DynamoDbStreamsClient}: built with the
 * region, credentials and endpoint of that DynamoDB client, so that they never read or lease in another
 * region. The async client runs on a {@link LeaseClientEventLoop}, which closes without the SDK's 2-second
 * wait.</li>
 * </ul>
 * No CloudWatch client: KCL's metrics are off. The streams client carries a {@link TrimmedRecordsDetector};
 * add one to a streams client of your own to keep lost records visible.
 */
@AutoConfiguration(afterName = { "io.awspring.cloud.autoconfigure.core.RegionProviderAutoConfiguration",
		"io.awspring.cloud.autoconfigure.core.CredentialsProviderAutoConfiguration",
		"io.awspring.cloud.autoconfigure.dynamodb.DynamoDbAutoConfiguration" })
@ConditionalOnProperty(prefix = "dynamo-trigger", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(DynamoTriggerProperties.class)
public final class DynamoTriggerClientsAutoConfiguration {

	@Bean
	AwsClientSettings dynamoTriggerAwsClientSettings(DynamoTriggerProperties properties,
			ObjectProvider<AwsRegionProvider> region, ObjectProvider<AwsCredentialsProvider> credentials) {
		return AwsClientSettings.fromProperties(properties.aws(), region.getIfUnique(), credentials.getIfUnique());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	DynamoDbClient dynamoDbClient(AwsClientSettings settings) {
		return settings.apply(DynamoDbClient.builder()).build();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(DynamoDbAsyncClient.class)
	LeaseClientEventLoop dynamoTriggerLeaseClientEventLoop() {
		return new LeaseClientEventLoop();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	DynamoDbAsyncClient dynamoDbAsyncClient(DynamoDbClient dynamoDb, LeaseClientEventLoop eventLoop) {
		return AwsClientSettings.of(dynamoDb.serviceClientConfiguration())
			.apply(DynamoDbAsyncClient.builder())
			.httpClientBuilder(NettyNioAsyncHttpClient.builder().eventLoopGroup(eventLoop.group()))
			.build();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	DynamoDbStreamsClient dynamoDbStreamsClient(DynamoDbClient dynamoDb, ObjectProvider<TriggerMetrics> metrics) {
		TrimmedRecordsDetector trimmedRecords = new TrimmedRecordsDetector(
				() -> metrics.getIfAvailable(() -> TriggerMetrics.NONE));
		return AwsClientSettings.of(dynamoDb.serviceClientConfiguration())
			.apply(DynamoDbStreamsClient.builder())
			.overrideConfiguration((config) -> config.addExecutionInterceptor(trimmedRecords))
			.build();
	}

}
