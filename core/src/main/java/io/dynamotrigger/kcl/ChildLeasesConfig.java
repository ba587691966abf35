package io.dynamotrigger.kcl;

import com.amazonaws.services.dynamodbv2.streamsadapter.DynamoDBStreamsLeaseManagementFactory;
import com.amazonaws.services.dynamodbv2.streamsadapter.DynamoDBStreamsShardSyncer;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.kinesis.common.StreamConfig;
import software.amazon.kinesis.common.StreamIdentifier;
import software.amazon.kinesis.coordinator.DeletedStreamListProvider;
import software.amazon.kinesis.leases.Lease;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.leases.LeaseManagementFactory;
import software.amazon.kinesis.leases.MultiStreamLease;
import software.amazon.kinesis.leases.ShardSyncTaskManager;
import software.amazon.kinesis.leases.exceptions.InvalidStateException;
import software.amazon.kinesis.metrics.MetricsFactory;
import software.amazon.kinesis.retrieval.RetrievalConfig;

/**
 * KCL's lease management settings, with the DynamoDB Streams adapter's lease management made to create the
 * leases of child shards in the multi-stream form in KCL's multi-stream mode.
 *
 * <p>Why: when a shard ends, the adapter's shutdown task creates the leases of its children with its shard
 * syncer, whose KCL base class it constructs without the multi-stream flag (adapter 2.0.1). In multi-stream
 * mode the syncer so builds a single-stream lease, which the multi-stream lease serializer refuses
 * ({@code IllegalArgumentException: Expected type: MultiStreamLease, actual: Lease}); the task fails at every
 * try, the ended shard is never checkpointed at its end and its children get no lease: the shared application
 * would read nothing more of a table after its shards roll over (every four hours or so on DynamoDB). The
 * adapter's scheduler factory installs its lease management factory through
 * {@link #leaseManagementFactory(LeaseManagementFactory)}; this configuration puts one in its place that
 * differs only in the shard syncer it gives each stream. In single-stream mode nothing differs.
 */
final class ChildLeasesConfig extends LeaseManagementConfig {

	private final RetrievalConfig retrieval;

	/**
	 * Creates the settings, as KCL's {@code ConfigsBuilder} does.
	 * @param leaseTable the lease table, also the application's name
	 * @param dynamoDb the client of the lease table
	 * @param kinesis the adapter's client
	 * @param workerId this worker's id
	 * @param retrieval the retrieval settings the scheduler is created with
	 */
	ChildLeasesConfig(String leaseTable, DynamoDbAsyncClient dynamoDb, KinesisAsyncClient kinesis, String workerId,
			RetrievalConfig retrieval) {
		super(leaseTable, leaseTable, dynamoDb, kinesis, workerId);
		this.retrieval = retrieval;
	}

	@Override
	public LeaseManagementConfig leaseManagementFactory(LeaseManagementFactory factory) {
		if (factory instanceof DynamoDBStreamsLeaseManagementFactory adapters
				&& !(factory instanceof ChildLeasesFactory)) {
			return super.leaseManagementFactory(new ChildLeasesFactory(adapters.getKinesisClient(), this, this.retrieval));
		}
		return super.leaseManagementFactory(factory);
	}

	/**
	 * The adapter's lease management, with the shard syncer below.
	 */
	static final class ChildLeasesFactory extends DynamoDBStreamsLeaseManagementFactory {

		ChildLeasesFactory(KinesisAsyncClient kinesis, LeaseManagementConfig config, RetrievalConfig retrieval) {
			super(kinesis, config, retrieval);
		}

		@Override
		public ShardSyncTaskManager createShardSyncTaskManager(MetricsFactory metrics, StreamConfig stream,
				DeletedStreamListProvider deletedStreams) {
			return new ShardSyncTaskManager(createShardDetector(stream), createLeaseRefresher(),
					stream.initialPositionInStreamExtended(), isCleanupLeasesUponShardCompletion(),
					isIgnoreUnexpectedChildShards(), getShardSyncIntervalMillis(), getExecutorService(),
					new ChildLeasesSyncer(isMultiStreamMode(), stream.streamIdentifier().toString(),
							isCleanupLeasesUponShardCompletion(), deletedStreams),
					metrics);
		}

	}

	/**
	 * The adapter's shard syncer, creating a child shard's lease in the multi-stream form in multi-stream
	 * mode: keyed {@code <stream identifier>:<shard id>}, with its stream and shard id, and the parent, the
	 * starting checkpoint and the hash key range that the adapter gives it.
	 */
	static final class ChildLeasesSyncer extends DynamoDBStreamsShardSyncer {

		private final boolean multiStream;

		ChildLeasesSyncer(boolean multiStream, String streamIdentifier, boolean cleanupLeasesOfCompletedShards,
				DeletedStreamListProvider deletedStreams) {
			super(multiStream, streamIdentifier, cleanupLeasesOfCompletedShards, deletedStreams);
			this.multiStream = multiStream;
		}

		@Override
		public Lease createLeaseForChildShard(ChildShard childShard, StreamIdentifier stream)
				throws InvalidStateException {
			Lease lease = super.createLeaseForChildShard(childShard, stream);
			if (!this.multiStream || lease instanceof MultiStreamLease) {
				return lease;
			}
			MultiStreamLease child = new MultiStreamLease();
			child.leaseKey(MultiStreamLease.getLeaseKey(stream.serialize(), childShard.shardId()));
			child.streamIdentifier(stream.serialize());
			child.shardId(childShard.shardId());
			child.parentShardIds(lease.parentShardIds());
			child.checkpoint(lease.checkpoint());
			child.ownerSwitchesSinceCheckpoint(lease.ownerSwitchesSinceCheckpoint());
			child.hashKeyRange(lease.hashKeyRangeForLease());
			return child;
		}

	}

}
