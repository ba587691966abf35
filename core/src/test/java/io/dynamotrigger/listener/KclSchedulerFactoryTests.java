package io.dynamotrigger.listener;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import com.amazonaws.services.dynamodbv2.streamsadapter.model.DynamoDBStreamsProcessRecordsInput;
import com.amazonaws.services.dynamodbv2.streamsadapter.processor.DynamoDBStreamsShardRecordProcessor;
import io.dynamotrigger.metrics.TriggerMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Builds schedulers without running them: nothing here talks to an endpoint.
 */
class KclSchedulerFactoryTests {

	private static final String STREAM_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/Reviews/stream/"
			+ "2024-01-01T00:00:00.000";

	private final AwsClients clients = new AwsClients(local(DynamoDbClient.builder()),
			local(DynamoDbAsyncClient.builder()), local(DynamoDbStreamsClient.builder()),
			local(CloudWatchAsyncClient.builder()), Region.US_EAST_1);

	@AfterEach
	void closeClients() {
		this.clients.dynamoDb().close();
		this.clients.dynamoDbAsync().close();
		this.clients.streams().close();
		this.clients.cloudWatch().close();
	}

	@Test
	void ourPacingSurvivesTheAdaptersSchedulerFactoryInEveryMode() {
		for (PollingMode mode : PollingMode.values()) {
			Scheduler scheduler = scheduler(mode);

			assertThat(scheduler.retrievalConfig().retrievalSpecificConfig()).isInstanceOf(PacedPollingConfig.class);
			assertThat(scheduler.retrievalConfig().retrievalFactory()).isInstanceOf(PacedRetrievalFactory.class);
		}
	}

	@Test
	void eachShardsReaderReadsOneBatchAheadOfItsProcessor() {
		Scheduler scheduler = scheduler(PollingMode.ADAPTIVE);
		scheduler.retrievalConfig().retrievalFactory();

		assertThat(((PacedPollingConfig) scheduler.retrievalConfig().retrievalSpecificConfig()).recordsFetcherFactory()
			.maxPendingProcessRecordsInput()).isEqualTo(1);
	}

	private Scheduler scheduler(PollingMode mode) {
		ConsumerSettings settings = new ConsumerSettings("app", Map.of(), StartingPosition.TRIM_HORIZON,
				new PollingSettings(mode, PollingSettings.defaults().restInterval(),
						PollingSettings.defaults().fixedInterval()),
				Map.of(), false, Duration.ofSeconds(1), 1, TriggerSettings.defaults(), Map.of());
		return new KclSchedulerFactory(this.clients, settings, new ShardReadCounters(TriggerMetrics.NONE)).create("Reviews", STREAM_ARN,
				NoRecords::new);
	}

	private static <B extends AwsClientBuilder<B, C>, C> C local(B builder) {
		return builder.endpointOverride(URI.create("http://127.0.0.1:9"))
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
			.build();
	}

	private static final class NoRecords implements DynamoDBStreamsShardRecordProcessor {

		@Override
		public void initialize(InitializationInput input) {
		}

		@Override
		public void processRecords(DynamoDBStreamsProcessRecordsInput input) {
		}

		@Override
		public void leaseLost(LeaseLostInput input) {
		}

		@Override
		public void shardEnded(ShardEndedInput input) {
		}

		@Override
		public void shutdownRequested(ShutdownRequestedInput input) {
		}

	}

}
