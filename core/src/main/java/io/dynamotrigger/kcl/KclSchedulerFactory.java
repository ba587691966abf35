package io.dynamotrigger.kcl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.amazonaws.services.dynamodbv2.streamsadapter.AmazonDynamoDBStreamsAdapterClient;
import com.amazonaws.services.dynamodbv2.streamsadapter.DynamoDBStreamsMultiStreamTracker;
import com.amazonaws.services.dynamodbv2.streamsadapter.StreamsSchedulerFactory;
import io.dynamotrigger.config.AwsClients;
import io.dynamotrigger.config.StartingPosition;
import io.dynamotrigger.config.TableConsumerSettings;
import io.dynamotrigger.kcl.polling.PacedPollingConfig;
import io.dynamotrigger.kcl.polling.ShardReadCounters;
import io.dynamotrigger.kcl.polling.TablePolling;
import io.dynamotrigger.kcl.threads.ShardThreads;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.common.StreamConfig;
import software.amazon.kinesis.common.StreamIdentifier;
import software.amazon.kinesis.coordinator.CoordinatorConfig;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.metrics.MetricsConfig;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.processor.FormerStreamsLeasesDeletionStrategy;
import software.amazon.kinesis.processor.ProcessorConfig;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;
import software.amazon.kinesis.processor.StreamTracker;
import software.amazon.kinesis.retrieval.RetrievalConfig;

/**
 * Builds the KCL {@link Scheduler} that reads one table's stream through the DynamoDB Streams Kinesis
 * Adapter, with the lease table, starting position, failover time and polling of the table's settings; or,
 * for the shared KCL application, the one scheduler that reads every table's stream (KCL's multi-stream
 * mode), with each stream's starting position and polling.
 */
public final class KclSchedulerFactory {

	private final AwsClients clients;

	private final boolean fastFailover;

	private final Duration leaderLockDuration;

	private final ShardReadCounters readCounters;

	private final String host = hostName();

	/**
	 * How often KCL's leader assigns leases unless fast failover is on. KCL's default, twice the failover time
	 * (20 s), put the first record of a new consumer about 35 s after its start: the leader's first round
	 * finds no worker metrics yet, so the second round, a whole interval later, assigns the lease, and workers
	 * look for new leases every half interval. Each round is one scan of the lease table by the leader.
	 */
	private static final Duration LEASE_ASSIGNMENT_INTERVAL = Duration.ofSeconds(3);

	/**
	 * How often the scheduler's loop runs unless fast failover is on: it starts reading a newly leased shard
	 * and moves each shard one step through a graceful stop per round, so KCL's 1 s made a stop take about
	 * 6 s. The loop makes no request of its own.
	 */
	private static final long DISPATCH_INTERVAL_MILLIS = 100;

	/**
	 * How often a child shard checks whether its parent is done unless fast failover is on (KCL: 10 s, a
	 * delay at every shard roll-over); one lease-table read per waiting child shard.
	 */
	private static final long PARENT_SHARD_POLL_INTERVAL_MILLIS = 1_000;

	/**
	 * How often each worker reports its metrics unless fast failover is on (KCL: 30 s). The leader treats a
	 * worker as alive until two reports are missing, and may give a dead worker's leases back to it until
	 * then; one write per report.
	 */
	private static final long WORKER_METRICS_REPORT_INTERVAL_MILLIS = 5_000;

	/**
	 * Returns how often KCL's leader assigns leases, and so how long a worker may take to notice a lease the
	 * leader assigned it (KCL's workers look for newly assigned leases every half of it): 3 seconds, or 1
	 * second with fast failover.
	 * @param fastFailover whether fast failover is on
	 * @return the lease assignment interval
	 */
	public static Duration leaseAssignmentInterval(boolean fastFailover) {
		return fastFailover ? Duration.ofSeconds(1) : LEASE_ASSIGNMENT_INTERVAL;
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
		InitialPositionInStreamExtended position = positionOf(settings);
		StreamTracker tracker = StreamsSchedulerFactory.createSingleStreamTracker(streamArn, position);
		AmazonDynamoDBStreamsAdapterClient adapter = new CallingThreadAdapterClient(this.clients.streams(),
				this.clients.region());
		PacedPollingConfig polling = new PacedPollingConfig(streamArn, adapter, table, settings.polling(),
				this.readCounters);
		return create(tracker, settings.leaseTable(), settings.failoverTime(), position, adapter, polling, processors,
				null);
	}

	/**
	 * Creates the one scheduler of the shared KCL application, which reads the streams of all tables (KCL's
	 * multi-stream mode). Each stream gets its table's starting position (used when its leases are created)
	 * and each shard its table's polling. What becomes of the leases of streams that are not among the given
	 * ones (a table no longer triggered) the deletion strategy says.
	 * <p>
	 * The scheduler reads every shard and runs every shard task on the given threads (no thread per shard);
	 * close them once the scheduler has ended.
	 * @param leaseTable the application's lease table
	 * @param failoverTime the failover time of all leases
	 * @param streams the tables' streams, at least one
	 * @param formerStreams what becomes of the leases of tables no longer triggered
	 * @param processors creates the record processor of each shard; KCL asks it with the shard's stream
	 * @param threads the application's threads
	 * @return a scheduler, not started
	 */
	public Scheduler createShared(String leaseTable, Duration failoverTime, List<SharedStream> streams,
			FormerStreamsLeasesDeletionStrategy formerStreams, ShardRecordProcessorFactory processors,
			ShardThreads threads) {
		List<StreamConfig> configs = streams.stream()
			.map((stream) -> new StreamConfig(stream.streamIdentifier(), positionOf(stream.settings()), null))
			.toList();
		StreamTracker tracker = new DynamoDBStreamsMultiStreamTracker(configs, formerStreams);
		AmazonDynamoDBStreamsAdapterClient adapter = new CallingThreadAdapterClient(this.clients.streams(),
				this.clients.region());
		Map<String, TablePolling> pollings = streams.stream()
			.collect(Collectors.toMap(SharedStream::table,
					(stream) -> new TablePolling(stream.table(), stream.settings().polling())));
		// An older stream of a table is polled as the table; a former stream (leases left in the lease table by a
		// table no longer triggered) as the first table.
		Function<StreamIdentifier, TablePolling> pollingOf = (stream) -> {
			String table = OlderStreams.streamArnOf(stream).tableName();
			return pollings.getOrDefault(table, new TablePolling(table, streams.get(0).settings().polling()));
		};
		long shortestPause = streams.stream()
			.mapToLong((stream) -> PacedPollingConfig.longestPause(stream.settings().polling()))
			.min()
			.orElseThrow();
		PacedPollingConfig polling = new PacedPollingConfig(adapter, pollingOf, shortestPause, this.readCounters,
				threads);
		return create(tracker, leaseTable, failoverTime, null, adapter, polling, processors, threads);
	}

	private Scheduler create(StreamTracker tracker, String leaseTable, Duration failoverTime,
			InitialPositionInStreamExtended position, AmazonDynamoDBStreamsAdapterClient adapter,
			PacedPollingConfig polling, ShardRecordProcessorFactory processors, ShardThreads threads) {
		ConfigsBuilder configs = new ConfigsBuilder(tracker, leaseTable, adapter, this.clients.dynamoDbAsync(),
				MetricsOffCloudWatchClient.INSTANCE, this.host + ":" + UUID.randomUUID(), processors);
		CoordinatorConfig coordinator = configs.coordinatorConfig()
			.skipShardSyncAtWorkerInitializationIfLeasesExist(true);
		if (threads != null) {
			coordinator.coordinatorFactory(threads.coordinatorFactory());
		}
		RetrievalConfig retrieval = configs.retrievalConfig().retrievalSpecificConfig(polling);
		// The adapter means to set this to 0 ("Setting the delay to complete a shard sync task as 0") but sets
		// it after its lease management factory has copied the value, so each shard sync, the first included,
		// would sleep KCL's default 60 s afterwards.
		LeaseManagementConfig leases = new ChildLeasesConfig(leaseTable, this.clients.dynamoDbAsync(), adapter,
				configs.workerIdentifier(), retrieval)
			.shardSyncIntervalMillis(0)
			.failoverTimeMillis(failoverTime.toMillis())
			.leaseAssignmentIntervalMillis(leaseAssignmentInterval(this.fastFailover).toMillis())
			.dynamoDbLockBasedLeaderLeaseDurationInMillis(this.leaderLockDuration.toMillis())
			.dynamoDbLockBasedLeaderHeartbeatPeriodInMillis(this.leaderLockDuration.toMillis() / 4)
			// What the adapter sets anyway (it runs the shard sync at every audit), set here so that it does not
			// warn about overriding it.
			.leasesRecoveryAuditorInconsistencyConfidenceThreshold(0);
		if (threads != null) {
			leases.executorService(threads.shardSyncs());
		}
		if (position != null) {
			// Single-stream mode only; in multi-stream mode each stream's configuration carries its own.
			leases.initialPositionInStream(position);
		}
		if (this.fastFailover) {
			coordinator.shardConsumerDispatchPollIntervalMillis(50)
				.parentShardPollIntervalMillis(500)
				.schedulerInitializationBackoffTimeMillis(200);
			leases.workerUtilizationAwareAssignmentConfig()
				.workerMetricsReporterFreqInMillis(1000)
				.inMemoryWorkerMetricsCaptureFrequencyMillis(500);
		}
		else {
			coordinator.shardConsumerDispatchPollIntervalMillis(DISPATCH_INTERVAL_MILLIS)
				.parentShardPollIntervalMillis(PARENT_SHARD_POLL_INTERVAL_MILLIS);
			leases.workerUtilizationAwareAssignmentConfig()
				.workerMetricsReporterFreqInMillis(WORKER_METRICS_REPORT_INTERVAL_MILLIS);
		}
		// KCL's metrics stay off, so its CloudWatch client is never called (see MetricsOffCloudWatchClient).
		MetricsConfig metrics = configs.metricsConfig()
			.metricsLevel(MetricsLevel.NONE)
			.metricsFactory(new NullMetricsFactory());
		// Empty reads reach the processor too, so that the lag gauge falls to zero at rest.
		ProcessorConfig processor = configs.processorConfig().callProcessRecordsEvenForEmptyRecordList(true);
		return StreamsSchedulerFactory.createScheduler(configs.checkpointConfig(), coordinator, leases,
				configs.lifecycleConfig(), metrics, processor, retrieval, adapter);
	}

	private static InitialPositionInStreamExtended positionOf(TableConsumerSettings settings) {
		return InitialPositionInStreamExtended
			.newInitialPosition(settings.startingPosition() == StartingPosition.LATEST ? InitialPositionInStream.LATEST
					: InitialPositionInStream.TRIM_HORIZON);
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
