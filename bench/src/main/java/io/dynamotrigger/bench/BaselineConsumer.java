package io.dynamotrigger.bench;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.amazonaws.services.dynamodbv2.streamsadapter.AmazonDynamoDBStreamsAdapterClient;
import com.amazonaws.services.dynamodbv2.streamsadapter.StreamsSchedulerFactory;
import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import com.amazonaws.services.dynamodbv2.streamsadapter.model.DynamoDBStreamsProcessRecordsInput;
import com.amazonaws.services.dynamodbv2.streamsadapter.polling.DynamoDBStreamsPollingConfig;
import com.amazonaws.services.dynamodbv2.streamsadapter.processor.DynamoDBStreamsShardRecordProcessor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.coordinator.CoordinatorConfig;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.exceptions.KinesisClientLibException;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.NullMetricsFactory;

/**
 * The baseline: a KCL 3 consumer written by hand as the adapter's documentation shows, with the same KCL
 * timings as dynamo-trigger's fast profile. Its processor decodes each record's new image into a
 * {@link BenchItem} by hand and checkpoints after each batch.
 */
final class BaselineConsumer implements BenchConsumer {

	private final DynamoDbClient dynamoDb;

	private final DynamoDbAsyncClient dynamoDbAsync;

	private final DynamoDbStreamsClient streams;

	private final CloudWatchAsyncClient cloudWatch;

	private final long pollIntervalMillis;

	private Scheduler scheduler;

	BaselineConsumer(DynamoDbClient dynamoDb, DynamoDbAsyncClient dynamoDbAsync, DynamoDbStreamsClient streams,
			CloudWatchAsyncClient cloudWatch, long pollIntervalMillis) {
		this.dynamoDb = dynamoDb;
		this.dynamoDbAsync = dynamoDbAsync;
		this.streams = streams;
		this.cloudWatch = cloudWatch;
		this.pollIntervalMillis = pollIntervalMillis;
	}

	@Override
	public void start(String table, Arrivals arrivals) {
		String streamArn = this.dynamoDb.describeTable((request) -> request.tableName(table)).table().latestStreamArn();
		InitialPositionInStreamExtended position = InitialPositionInStreamExtended
			.newInitialPosition(InitialPositionInStream.TRIM_HORIZON);
		AmazonDynamoDBStreamsAdapterClient adapter = new AmazonDynamoDBStreamsAdapterClient(this.streams,
				Region.US_EAST_1);
		ConfigsBuilder configs = new ConfigsBuilder(StreamsSchedulerFactory.createSingleStreamTracker(streamArn, position),
				"bench-baseline-" + table, adapter, this.dynamoDbAsync, this.cloudWatch, UUID.randomUUID().toString(),
				() -> new Processor(arrivals));
		CoordinatorConfig coordinator = configs.coordinatorConfig()
			.shardConsumerDispatchPollIntervalMillis(50)
			.parentShardPollIntervalMillis(500)
			.schedulerInitializationBackoffTimeMillis(200);
		LeaseManagementConfig leases = configs.leaseManagementConfig()
			.initialPositionInStream(position)
			.failoverTimeMillis(3000)
			.shardSyncIntervalMillis(1000)
			.leaseAssignmentIntervalMillis(1000L)
			.dynamoDbLockBasedLeaderLeaseDurationInMillis(6000)
			.dynamoDbLockBasedLeaderHeartbeatPeriodInMillis(2000);
		leases.workerUtilizationAwareAssignmentConfig()
			.workerMetricsReporterFreqInMillis(1000)
			.inMemoryWorkerMetricsCaptureFrequencyMillis(500);
		this.scheduler = StreamsSchedulerFactory.createScheduler(configs.checkpointConfig(), coordinator, leases,
				configs.lifecycleConfig(),
				configs.metricsConfig().metricsLevel(MetricsLevel.NONE).metricsFactory(new NullMetricsFactory()),
				configs.processorConfig(),
				configs.retrievalConfig()
					.retrievalSpecificConfig(new DynamoDBStreamsPollingConfig(streamArn, adapter)
						.idleTimeBetweenReadsInMillis(this.pollIntervalMillis)),
				adapter);
		Thread thread = new Thread(this.scheduler, "baseline-" + table);
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public void stop() {
		try {
			this.scheduler.startGracefulShutdown().get(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			this.scheduler.shutdown();
		}
	}

	@Override
	public String name() {
		return "hand-written KCL";
	}

	@Override
	public String key() {
		return "kcl";
	}

	private static final class Processor implements DynamoDBStreamsShardRecordProcessor {

		private final Arrivals arrivals;

		Processor(Arrivals arrivals) {
			this.arrivals = arrivals;
		}

		@Override
		public void initialize(InitializationInput input) {
		}

		@Override
		public void processRecords(DynamoDBStreamsProcessRecordsInput input) {
			for (DynamoDBStreamsClientRecord record : input.records()) {
				BenchItem item = decode(record.getRecord().dynamodb().newImage());
				this.arrivals.arrived(item.getId());
			}
			try {
				input.checkpointer().checkpoint();
			}
			catch (KinesisClientLibException ex) {
				throw new IllegalStateException(ex);
			}
		}

		private static BenchItem decode(Map<String, AttributeValue> image) {
			BenchItem item = new BenchItem();
			item.setId(image.get("id").s());
			item.setSeq(Long.parseLong(image.get("seq").n()));
			item.setRating(Integer.parseInt(image.get("rating").n()));
			item.setPayload(image.get("payload").s());
			return item;
		}

		@Override
		public void leaseLost(LeaseLostInput input) {
		}

		@Override
		public void shardEnded(ShardEndedInput input) {
			try {
				input.checkpointer().checkpoint();
			}
			catch (KinesisClientLibException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public void shutdownRequested(ShutdownRequestedInput input) {
			try {
				input.checkpointer().checkpoint();
			}
			catch (KinesisClientLibException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
