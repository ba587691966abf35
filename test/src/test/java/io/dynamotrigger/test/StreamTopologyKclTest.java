package io.dynamotrigger.test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.amazonaws.services.dynamodbv2.streamsadapter.AmazonDynamoDBStreamsAdapterClient;
import com.amazonaws.services.dynamodbv2.streamsadapter.StreamsSchedulerFactory;
import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import com.amazonaws.services.dynamodbv2.streamsadapter.model.DynamoDBStreamsProcessRecordsInput;
import com.amazonaws.services.dynamodbv2.streamsadapter.polling.DynamoDBStreamsPollingConfig;
import com.amazonaws.services.dynamodbv2.streamsadapter.processor.DynamoDBStreamsShardRecordProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.Shard;
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
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;

import io.dynamotrigger.test.LocalDynamoDbTest.Topology;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * KCL 3 with the DynamoDB Streams Kinesis Adapter, as dynamo-trigger runs them, on streams whose
 * shards split and roll over while records flow. Opt-in: KCL waits a random 1–30 s before its first
 * shard sync on an empty lease table, so this takes 20–40 s.
 */
@EnabledIfSystemProperty(named = "dynamo-trigger.kcl-tests", matches = "true",
		disabledReason = "takes 20-40 s; run with -Ddynamo-trigger.kcl-tests=true")
@LocalDynamoDbTest(topology = @Topology(shards = 2, rollOverAfterRecords = 15, rollOverAfter = "PT8S",
		rollOver = StreamTopology.RollOver.SPLIT))
class StreamTopologyKclTest {

	private static final int KEYS = 30;

	private final Map<String, List<Integer>> valuesByKey = new ConcurrentHashMap<>();

	private final Set<String> endedShards = ConcurrentHashMap.newKeySet();

	@Test
	void kclReadsEveryRecordOnceInItemOrderWhileShardsSplitAndRollOver(LocalDynamoDb dynamoDb) throws Exception {
		try (StreamClients clients = new StreamClients(dynamoDb);
				DynamoDbAsyncClient leases = dynamoDb.configure(DynamoDbAsyncClient.builder()).build();
				CloudWatchAsyncClient cloudWatch = dynamoDb.configure(CloudWatchAsyncClient.builder()).build()) {
			String table = clients.createTable();
			String streamArn = clients.streamArn(table);
			int[] nextValue = new int[KEYS];
			int written = writeRound(clients, table, nextValue) + writeRound(clients, table, nextValue);
			Scheduler scheduler = scheduler(dynamoDb, clients, leases, cloudWatch, streamArn);
			Thread thread = new Thread(scheduler, "kcl-" + table);
			thread.setDaemon(true);
			thread.start();
			try {
				for (int round = 0; round < 6; round++) {
					Thread.sleep(3_000);
					written += writeRound(clients, table, nextValue);
				}
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
				while (received() < written && System.nanoTime() < deadline) {
					Thread.sleep(200);
				}
			}
			finally {
				stop(scheduler);
			}

			List<Shard> shards = clients.shards(streamArn);
			assertThat(shards.stream().filter(shard -> shard.parentShardId() != null).count()).isGreaterThan(4);
			assertThat(received()).isEqualTo(written);
			assertThat(this.valuesByKey).hasSize(KEYS)
				.allSatisfy((key, values) -> assertThat(values).isSorted().doesNotHaveDuplicates());
			assertThat(this.endedShards).isNotEmpty();
		}
	}

	/**
	 * Stops gracefully, or else at once: what this test checks is reading. A graceful stop that
	 * overlaps the start of a new shard consumer (a roll-over) can wait forever on a latch that never
	 * counts down (KCL issue 542: "Shutdown completed, but shutdownCompleteLatch still had outstanding 1").
	 */
	private static void stop(Scheduler scheduler) throws InterruptedException {
		try {
			scheduler.startGracefulShutdown().get(10, TimeUnit.SECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			scheduler.shutdown();
		}
	}

	private static int writeRound(StreamClients clients, String table, int[] nextValue) {
		for (int key = 0; key < KEYS; key++) {
			clients.put(table, "item-" + key, nextValue[key]++);
		}
		return KEYS;
	}

	private int received() {
		return this.valuesByKey.values().stream().mapToInt(List::size).sum();
	}

	private Scheduler scheduler(LocalDynamoDb dynamoDb, StreamClients clients, DynamoDbAsyncClient leases,
			CloudWatchAsyncClient cloudWatch, String streamArn) {
		InitialPositionInStreamExtended position = InitialPositionInStreamExtended
			.newInitialPosition(InitialPositionInStream.TRIM_HORIZON);
		AmazonDynamoDBStreamsAdapterClient adapter = new AmazonDynamoDBStreamsAdapterClient(clients.streams,
				Region.of(dynamoDb.region()));
		ConfigsBuilder configs = new ConfigsBuilder(StreamsSchedulerFactory.createSingleStreamTracker(streamArn, position),
				"topology-kcl-" + UUID.randomUUID(), adapter, leases, cloudWatch, UUID.randomUUID().toString(),
				Processor::new);
		CoordinatorConfig coordinator = configs.coordinatorConfig()
			.shardConsumerDispatchPollIntervalMillis(50)
			.parentShardPollIntervalMillis(500)
			.schedulerInitializationBackoffTimeMillis(200);
		LeaseManagementConfig leaseManagement = configs.leaseManagementConfig()
			.initialPositionInStream(position)
			.failoverTimeMillis(3000)
			.shardSyncIntervalMillis(1000)
			.leaseAssignmentIntervalMillis(1000L);
		leaseManagement.workerUtilizationAwareAssignmentConfig()
			.workerMetricsReporterFreqInMillis(1000)
			.inMemoryWorkerMetricsCaptureFrequencyMillis(500);
		return StreamsSchedulerFactory.createScheduler(configs.checkpointConfig(), coordinator, leaseManagement,
				configs.lifecycleConfig(),
				configs.metricsConfig().metricsLevel(MetricsLevel.NONE).metricsFactory(new NullMetricsFactory()),
				configs.processorConfig(),
				configs.retrievalConfig()
					.retrievalSpecificConfig(new DynamoDBStreamsPollingConfig(streamArn, adapter)
						.idleTimeBetweenReadsInMillis(100)),
				adapter);
	}

	private final class Processor implements DynamoDBStreamsShardRecordProcessor {

		private String shardId;

		@Override
		public void initialize(InitializationInput input) {
			this.shardId = input.shardId();
		}

		@Override
		public void processRecords(DynamoDBStreamsProcessRecordsInput input) {
			for (DynamoDBStreamsClientRecord record : input.records()) {
				var image = record.getRecord().dynamodb().newImage();
				StreamTopologyKclTest.this.valuesByKey
					.computeIfAbsent(image.get("pk").s(), key -> Collections.synchronizedList(new ArrayList<>()))
					.add(Integer.valueOf(image.get("value").n()));
			}
			checkpoint(input.checkpointer());
		}

		@Override
		public void leaseLost(LeaseLostInput input) {
			// KCL also calls this on processors it never initialized: nothing to release here.
		}

		@Override
		public void shardEnded(ShardEndedInput input) {
			StreamTopologyKclTest.this.endedShards.add(this.shardId);
			checkpoint(input.checkpointer());
		}

		@Override
		public void shutdownRequested(ShutdownRequestedInput input) {
			checkpoint(input.checkpointer());
		}

		private static void checkpoint(RecordProcessorCheckpointer checkpointer) {
			try {
				checkpointer.checkpoint();
			}
			catch (KinesisClientLibException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
