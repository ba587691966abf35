package io.dynamotrigger.kcl;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import com.amazonaws.services.dynamodbv2.streamsadapter.model.DynamoDBStreamsProcessRecordsInput;
import com.amazonaws.services.dynamodbv2.streamsadapter.processor.DynamoDBStreamsShardRecordProcessor;
import io.dynamotrigger.config.AwsClients;
import io.dynamotrigger.config.PollingMode;
import io.dynamotrigger.config.PollingSettings;
import io.dynamotrigger.config.StartingPosition;
import io.dynamotrigger.config.TableConsumerSettings;
import io.dynamotrigger.kcl.polling.PacedPollingConfig;
import io.dynamotrigger.kcl.polling.PacedRetrievalFactory;
import io.dynamotrigger.kcl.polling.ShardReadCounters;
import io.dynamotrigger.kcl.threads.ShardThreads;
import io.dynamotrigger.metrics.TriggerMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.processor.FormerStreamsLeasesDeletionStrategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Builds schedulers without running them: nothing here talks to an endpoint.
 */
class KclSchedulerFactoryTests {

	private static final String STREAM_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/Reviews/stream/"
			+ "2024-01-01T00:00:00.000";

	private final AwsClients clients = new AwsClients(local(DynamoDbClient.builder()),
			local(DynamoDbAsyncClient.builder()), local(DynamoDbStreamsClient.builder()), Region.US_EAST_1);

	@AfterEach
	void closeClients() {
		this.clients.dynamoDb().close();
		this.clients.dynamoDbAsync().close();
		this.clients.streams().close();
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

	@Test
	void withoutFastFailoverLeasesAreAssignedEveryThreeSecondsWhateverTheFailoverTime() {
		TableConsumerSettings settings = new TableConsumerSettings("reviews-leases", StartingPosition.LATEST, 1,
				Duration.ofSeconds(15), polling(PollingMode.ADAPTIVE));

		Scheduler scheduler = new KclSchedulerFactory(this.clients, false, Duration.ofMinutes(2),
				new ShardReadCounters(TriggerMetrics.NONE))
			.create("Reviews", settings, STREAM_ARN, NoRecords::new);

		assertThat(scheduler.leaseManagementConfig().leaseAssignmentIntervalMillis()).isEqualTo(3_000)
			.isEqualTo(KclSchedulerFactory.leaseAssignmentInterval(false).toMillis());
		assertThat(scheduler.leaseManagementConfig().failoverTimeMillis()).isEqualTo(15_000);
	}

	@Test
	void withoutFastFailoverTheSchedulerLoopAndWorkerReportsAreShortButNotTheTestPresets() {
		TableConsumerSettings settings = new TableConsumerSettings("reviews-leases", StartingPosition.LATEST, 1,
				Duration.ofSeconds(10), polling(PollingMode.ADAPTIVE));

		Scheduler scheduler = new KclSchedulerFactory(this.clients, false, Duration.ofSeconds(12),
				new ShardReadCounters(TriggerMetrics.NONE))
			.create("Reviews", settings, STREAM_ARN, NoRecords::new);

		assertThat(scheduler.coordinatorConfig().shardConsumerDispatchPollIntervalMillis()).isEqualTo(100);
		assertThat(scheduler.coordinatorConfig().parentShardPollIntervalMillis()).isEqualTo(1_000);
		assertThat(scheduler.leaseManagementConfig().workerUtilizationAwareAssignmentConfig()
			.workerMetricsReporterFreqInMillis()).isEqualTo(5_000);
		assertThat(scheduler.leaseManagementConfig().dynamoDbLockBasedLeaderLeaseDurationInMillis()).isEqualTo(12_000);
		assertThat(scheduler.leaseManagementConfig().dynamoDbLockBasedLeaderHeartbeatPeriodInMillis()).isEqualTo(3_000);
	}

	@Test
	void theTablesFailoverTimeWinsOverTheFastFailoverPreset() {
		TableConsumerSettings settings = new TableConsumerSettings("reviews-leases", StartingPosition.LATEST, 1,
				Duration.ofSeconds(20), polling(PollingMode.ADAPTIVE));

		Scheduler scheduler = new KclSchedulerFactory(this.clients, true, Duration.ofSeconds(6),
				new ShardReadCounters(TriggerMetrics.NONE))
			.create("Reviews", settings, STREAM_ARN, NoRecords::new);

		assertThat(scheduler.leaseManagementConfig().failoverTimeMillis()).isEqualTo(20_000);
		assertThat(scheduler.leaseManagementConfig().leaseAssignmentIntervalMillis()).isEqualTo(1_000);
		assertThat(scheduler.leaseManagementConfig().dynamoDbLockBasedLeaderLeaseDurationInMillis()).isEqualTo(6_000);
		assertThat(scheduler.leaseManagementConfig().dynamoDbLockBasedLeaderHeartbeatPeriodInMillis()).isEqualTo(1_500);
		assertThat(scheduler.leaseManagementConfig().tableName()).isEqualTo("reviews-leases");
		assertThat(scheduler.leaseManagementConfig().initialPositionInStream().getInitialPositionInStream())
			.isEqualTo(InitialPositionInStream.LATEST);
	}

	@Test
	void kclMetricsAreOffSoItsCloudWatchClientIsOneThatNothingCalls() {
		Scheduler scheduler = scheduler(PollingMode.ADAPTIVE);

		assertThat(scheduler.metricsConfig().metricsLevel()).isEqualTo(MetricsLevel.NONE);
		assertThat(scheduler.metricsConfig().metricsFactory()).isInstanceOf(NullMetricsFactory.class);
		assertThat(scheduler.metricsConfig().cloudWatchClient()).isSameAs(MetricsOffCloudWatchClient.INSTANCE);
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> MetricsOffCloudWatchClient.INSTANCE.listMetrics());
	}

	@Test
	void theSharedSchedulerTracksEveryTablesStreamWithItsOwnStartingPositionInOneLeaseTable() {
		String ordersArn = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2024-01-02T00:00:00.000";
		SharedStream reviews = new SharedStream("Reviews", STREAM_ARN, new TableConsumerSettings("app",
				StartingPosition.TRIM_HORIZON, 1, Duration.ofSeconds(10), polling(PollingMode.ADAPTIVE)), "app-Reviews");
		SharedStream orders = new SharedStream("Orders", ordersArn, new TableConsumerSettings("app",
				StartingPosition.LATEST, 1, Duration.ofSeconds(10),
				new PollingSettings(PollingMode.FIXED, Duration.ofMillis(250), Duration.ofMillis(100))), "app-Orders");

		ShardThreads threads = new ShardThreads("app", 8);
		Scheduler scheduler = new KclSchedulerFactory(this.clients, false, Duration.ofSeconds(12),
				new ShardReadCounters(TriggerMetrics.NONE))
			.createShared("app", Duration.ofSeconds(10), List.of(reviews, orders),
					new FormerStreamsLeasesDeletionStrategy.NoLeaseDeletionStrategy(), NoRecords::new, threads);
		threads.close();

		assertThat(scheduler.streamTracker().isMultiStream()).isTrue();
		assertThat(scheduler.leaseManagementConfig().tableName()).isEqualTo("app");
		assertThat(scheduler.currentStreamConfigMap()).hasSize(2);
		assertThat(scheduler.currentStreamConfigMap().get(reviews.streamIdentifier())
			.initialPositionInStreamExtended()
			.getInitialPositionInStream()).isEqualTo(InitialPositionInStream.TRIM_HORIZON);
		assertThat(scheduler.currentStreamConfigMap().get(orders.streamIdentifier())
			.initialPositionInStreamExtended()
			.getInitialPositionInStream()).isEqualTo(InitialPositionInStream.LATEST);
		assertThat(reviews.leaseKeyPrefix()).startsWith("123456789012:").contains("$Reviews$").endsWith(":1:");
		assertThat(scheduler.retrievalConfig().retrievalFactory()).isInstanceOf(PacedRetrievalFactory.class);
		assertThat(((PacedPollingConfig) scheduler.retrievalConfig().retrievalSpecificConfig())
			.idleTimeBetweenReadsInMillis()).as("the shortest of the tables' longest pauses").isEqualTo(100);
		assertThat(scheduler.coordinatorConfig().coordinatorFactory().createExecutorService())
			.as("the shard tasks run on the application's threads").isSameAs(threads.tasks());
		assertThat(scheduler.leaseManagementConfig().executorService()).as("and the shard syncs")
			.isSameAs(threads.shardSyncs());
	}

	private Scheduler scheduler(PollingMode mode) {
		TableConsumerSettings settings = new TableConsumerSettings("app-Reviews", StartingPosition.TRIM_HORIZON, 1,
				Duration.ofSeconds(10), polling(mode));
		return new KclSchedulerFactory(this.clients, false, Duration.ofMinutes(2),
				new ShardReadCounters(TriggerMetrics.NONE))
			.create("Reviews", settings, STREAM_ARN, NoRecords::new);
	}

	private static PollingSettings polling(PollingMode mode) {
		return new PollingSettings(mode, Duration.ofMillis(250), Duration.ofMillis(250));
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
