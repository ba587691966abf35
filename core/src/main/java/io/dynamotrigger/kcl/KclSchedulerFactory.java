package io.dynamotrigger.kcl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;

import com.amazonaws.services.dynamodbv2.streamsadapter.AmazonDynamoDBStreamsAdapterClient;
import com.amazonaws.services.dynamodbv2.streamsadapter.StreamsSchedulerFactory;
import io.dynamotrigger.config.AwsClients;
import io.dynamotrigger.config.StartingPosition;
import io.dynamotrigger.config.TableConsumerSettings;
import io.dynamotrigger.kcl.polling.PacedPollingConfig;
import io.dynamotrigger.kcl.polling.ShardReadCounters;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.coordinator.CoordinatorConfig;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.metrics.MetricsConfig;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.processor.ProcessorConfig;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;
import software.amazon.kinesis.processor.StreamTracker;

/**
 * Builds the KCL {@link Scheduler} that reads one table's stream through the DynamoDB Streams Kinesis
 * Adapter, with the lease table, starting position, failover time and polling of the table's settings.
 */
public final class KclSchedulerFactory {

	private final AwsClients clients;

	private final boolean fastFailover;

	private final Duration leaderLockDuration;

	private final ShardReadCounters readCounters;

	private final String host = hostName();

	/**
	 * Returns how often KCL's leader assigns leases, and so how long a worker may take to notice a lease the
	 * leader assigned it (KCL's workers look for newly assigned leases every half of it): KCL's default, twice
	 * the failover time, or 1 second with fast failover.
	 * @param failoverTime the table's failover time
	 * @param fastFailover whether fast failover is on
	 * @return the lease assignment interval
	 */
	public static Duration leaseAssignmentInterval(Duration failoverTime, boolean fastFailover) {
		return fastFailover ? Duration.ofSeconds(1) : failoverTime.multipliedBy(2);
	}

	/**
	 * Creates the factory.
	 * @param clients the AWS clients of the schedulers
	 * @param fastFailover whether the schedulers use short lease assignment, leader-lock and polling
	 * times (the failover time comes with each table's settings)
	 * @param leaderLockDuration how long KCL's leader lock lasts without a heartbeat; heartbeats come every
	 * quarter of it, as with KCL's defaults (2 min, 30 s)
	 * @param readCounters where the schedulers count their GetRecords calls
	 */
	public KclSchedulerFactory(AwsClients clients, boolean fastFailover, Duration leaderLockDuration,
			ShardReadCounters readCounters) {
		this.clients = clients;
		this.fastFailover = fastFailover;
		this.leaderLockDuration = leaderLockDuration;
		this.readCounters = readCounters;
	}

	/**
	 * Creates the scheduler of a table's stream.
	 * @param table the table name
	 * @param settings the table's consumer settings
	 * @param streamArn the table's stream
	 * @param processors creates the record processor of each shard
	 * @return a scheduler, not started
	 */
	public Scheduler create(String table, TableConsumerSettings settings, String streamArn,
			ShardRecordProcessorFactory processors) {
		String leaseTable = settings.leaseTable();
		InitialPositionInStreamExtended position = InitialPositionInStreamExtended
			.newInitialPosition(settings.startingPosition() == StartingPosition.LATEST
					? InitialPositionInStream.LATEST : InitialPositionInStream.TRIM_HORIZON);
		StreamTracker tracker = StreamsSchedulerFactory.createSingleStreamTracker(streamArn, position);
		AmazonDynamoDBStreamsAdapterClient adapter = new CallingThreadAdapterClient(this.clients.streams(),
				this.clients.region());
		ConfigsBuilder configs = new ConfigsBuilder(tracker, leaseTable, adapter, this.clients.dynamoDbAsync(),
				this.clients.cloudWatch(), this.host + ":" + UUID.randomUUID(), processors);

		PacedPollingConfig polling = new PacedPollingConfig(streamArn, adapter, table, settings.polling(),
				this.readCounters);
		CoordinatorConfig coordinator = configs.coordinatorConfig()
			.skipShardSyncAtWorkerInitializationIfLeasesExist(true);
		// The adapter means to set this to 0 ("Setting the delay to complete a shard sync task as 0") but sets
		// it after its lease management factory has copied the value, so each shard sync, the first included,
		// would sleep KCL's default 60 s afterwards.
		LeaseManagementConfig leases = configs.leaseManagementConfig()
			.initialPositionInStream(position)
			.shardSyncIntervalMillis(0)
			.failoverTimeMillis(settings.failoverTime().toMillis())
			.leaseAssignmentIntervalMillis(
					leaseAssignmentInterval(settings.failoverTime(), this.fastFailover).toMillis())
			.dynamoDbLockBasedLeaderLeaseDurationInMillis(this.leaderLockDuration.toMillis())
			.dynamoDbLockBasedLeaderHeartbeatPeriodInMillis(this.leaderLockDuration.toMillis() / 4);
		if (this.fastFailover) {
			coordinator.shardConsumerDispatchPollIntervalMillis(50)
				.parentShardPollIntervalMillis(500)
				.schedulerInitializationBackoffTimeMillis(200);
			leases.workerUtilizationAwareAssignmentConfig()
				.workerMetricsReporterFreqInMillis(1000)
				.inMemoryWorkerMetricsCaptureFrequencyMillis(500);
		}
		MetricsConfig metrics = configs.metricsConfig()
			.metricsLevel(MetricsLevel.NONE)
			.metricsFactory(new NullMetricsFactory());
		// Empty reads reach the processor too, so that the lag gauge falls to zero at rest.
		ProcessorConfig processor = configs.processorConfig().callProcessRecordsEvenForEmptyRecordList(true);
		return StreamsSchedulerFactory.createScheduler(configs.checkpointConfig(), coordinator, leases,
				configs.lifecycleConfig(), metrics, processor,
				configs.retrievalConfig().retrievalSpecificConfig(polling), adapter);
	}

	/**
	 * Returns the host name of the worker ids, looked up once for all tables.
	 */
	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "unknown-host";
		}
	}

}
