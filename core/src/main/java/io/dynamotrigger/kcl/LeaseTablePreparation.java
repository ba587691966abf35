package io.dynamotrigger.kcl;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.common.StreamConfig;
import software.amazon.kinesis.common.StreamIdentifier;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.leases.LeaseRefresher;
import software.amazon.kinesis.lifecycle.TaskResult;

/**
 * Readies a scheduler's lease table before the scheduler runs: creates it if absent, binds it to the
 * current stream ({@link StreamCheckpointGuard}) and creates the leases of the stream's shards that have
 * none.
 *
 * <p>Why the last step: a KCL scheduler that finds an empty lease table waits a random 1 to 30 seconds
 * before it syncs shards, so that a fleet starting together does not list shards all at once; no setting
 * skips that wait. Here the same shard-sync task runs without the wait. Leases are created with
 * conditional writes, so instances that start together still end with one lease per shard; the cost is
 * a few more ListShards calls per start. The scheduler then finds leases and skips its own sync.
 *
 * <p>The sync runs on every start, not only on an empty lease table: after the consumer was stopped for
 * longer than the stream keeps records, the shards it held leases on may be gone from the stream, and their
 * open descendants are no children of any shard KCL still sees. KCL creates a child's lease when it
 * checkpoints its parent's end, from the parent's child shards, and a gone shard has none; nothing else
 * creates them (the DynamoDB Streams adapter turns KCL's periodic audit off), so the consumer read nothing
 * more. The scheduler's accessors used here are marked KCL-internal, so the KCL version is pinned and this
 * step is covered by an integration test.
 *
 * <p>A starting position of LATEST applies to a consumer that has read nothing yet. Once the lease table
 * holds leases, or went on from a replaced stream, every shard the sync finds without a lease starts at its
 * oldest record: its records came after records the consumer read, and are not handled yet.
 */
public final class LeaseTablePreparation {

	private static final Logger log = LoggerFactory.getLogger(LeaseTablePreparation.class);

	private static final InitialPositionInStreamExtended FROM_THE_OLDEST = InitialPositionInStreamExtended
		.newInitialPosition(InitialPositionInStream.TRIM_HORIZON);

	private final StreamCheckpointGuard guard;

	/**
	 * Creates the preparation.
	 * @param guard binds the lease table to the stream before any lease is read
	 */
	public LeaseTablePreparation(StreamCheckpointGuard guard) {
		this.guard = guard;
	}

	/**
	 * Prepares a scheduler's lease table before the scheduler runs: binds it to the stream and creates the
	 * leases of the stream's shards that have none; unless the lease table belongs to an older stream of the
	 * table that still has records to read.
	 * @param scheduler the scheduler, not started
	 * @param leaseTable the scheduler's lease table
	 * @param streamArn the stream it reads
	 * @return {@code null} when the scheduler can run, or the older stream to read to its end first (with a
	 * scheduler of that stream, prepared by this method too)
	 * @throws Exception if the lease table cannot be initialized or the shards cannot be listed
	 */
	public String prepare(Scheduler scheduler, String leaseTable, String streamArn) throws Exception {
		scheduler.leaseCoordinator().initialize();
		LeaseRefresher leases = scheduler.leaseRefresher();
		StreamCheckpointGuard.Binding binding = this.guard.bind(leaseTable, streamArn, leases);
		if (binding.olderStreamArn() != null) {
			return binding.olderStreamArn();
		}
		if (binding.replaced()) {
			// Read to its end by another instance: nothing to sync; readToTheEnd tells the caller.
			return null;
		}
		boolean readBefore = binding.continued() || !leases.isLeaseTableEmpty();
		syncShards(scheduler, (stream) -> readBefore);
		log.debug("Synced the leases of {} in {}", streamArn, leaseTable);
		return null;
	}

	/**
	 * Prepares the lease table of the shared KCL application before its scheduler runs: creates it if
	 * absent, carries over the checkpoints of a table read in per-table mode before, finds the older streams
	 * of each table still to be read (creating the leases of one the table had in between), and creates the leases of
	 * every stream's shards that have none, also of a stream added to the application since it last ran (KCL
	 * itself would create those only at its leader's first check for new streams, a minute after the start).
	 * No stream needs binding: in multi-stream mode a lease key carries its stream, so a replaced stream gets
	 * leases of its own.
	 * @param scheduler the shared scheduler, not started
	 * @param streams the streams it reads
	 * @param carryOver carries checkpoints over from the tables' per-table lease tables
	 * @param olderStreams finds older streams of the tables with records not read yet
	 * @return for each stream, by its serialized identifier, its table's older streams to read to their end
	 * first, oldest first: only the first of them has leases, and the stream itself none yet
	 * @throws Exception if the lease table cannot be initialized or the shards cannot be listed
	 */
	public static Map<String, List<StreamIdentifier>> prepareShared(Scheduler scheduler, List<SharedStream> streams,
			PerTableCheckpointCarryOver carryOver, OlderStreams olderStreams) throws Exception {
		scheduler.leaseCoordinator().initialize();
		LeaseRefresher leases = scheduler.leaseRefresher();
		Set<String> readBefore = new HashSet<>();
		for (SharedStream stream : streams) {
			if (carryOver.carryOver(stream, leases)) {
				readBefore.add(stream.streamIdentifier().serialize());
			}
		}
		Map<String, List<StreamIdentifier>> toRead = new LinkedHashMap<>();
		for (Map.Entry<String, OlderStreams.Found> entry : olderStreams.find(streams, leases).entrySet()) {
			OlderStreams.Found older = entry.getValue();
			if (older.readBefore()) {
				readBefore.add(entry.getKey());
			}
			if (!older.toRead().isEmpty()) {
				// Only the oldest stream has leases; the next gets its own when it is read to its end.
				StreamIdentifier first = older.toRead().get(0);
				if (leases.listLeasesForStream(first).isEmpty()) {
					syncFromTheOldest(scheduler, first);
				}
			}
			toRead.put(entry.getKey(), older.toRead());
		}
		for (StreamConfig stream : scheduler.currentStreamConfigMap().values()) {
			String key = stream.streamIdentifier().serialize();
			if (toRead.getOrDefault(key, List.of()).isEmpty()) {
				sync(scheduler, readBefore.contains(key) ? new StreamConfig(stream.streamIdentifier(), FROM_THE_OLDEST)
						: stream);
			}
		}
		return toRead;
	}

	/**
	 * Creates the leases of shards that have none: from each stream's own starting position, or from the
	 * oldest record for a stream read before (LATEST is "from now" only for a consumer that has read
	 * nothing).
	 */
	private static void syncShards(Scheduler scheduler, Predicate<StreamIdentifier> readBefore) throws Exception {
		for (StreamConfig stream : scheduler.currentStreamConfigMap().values()) {
			sync(scheduler, readBefore.test(stream.streamIdentifier())
					? new StreamConfig(stream.streamIdentifier(), FROM_THE_OLDEST) : stream);
		}
	}

	/**
	 * Creates the leases of a stream's shards that have none, from their oldest record: of a table's next
	 * stream once the one before is read to its end.
	 * @param scheduler the shared scheduler
	 * @param stream the stream
	 * @throws Exception if the shards cannot be listed or the leases not created
	 */
	public static void syncFromTheOldest(Scheduler scheduler, StreamIdentifier stream) throws Exception {
		sync(scheduler, new StreamConfig(stream, FROM_THE_OLDEST));
	}

	private static void sync(Scheduler scheduler, StreamConfig stream) throws Exception {
		TaskResult result = scheduler.shardSyncTaskManagerProvider().apply(stream).callShardSyncTask();
		if (result.getException() != null) {
			throw result.getException();
		}
	}

	/**
	 * Tells whether an older stream of the table, which a scheduler reads, is read to its end: every shard
	 * of it that can still be read is checkpointed at its end.
	 * @param scheduler the scheduler of the older stream
	 * @param leaseTable the scheduler's lease table
	 * @param olderStreamArn the older stream
	 * @return {@code true} when nothing of it is left to read, or another instance read it to its end
	 * @throws Exception if the stream or the lease table cannot be read
	 */
	public boolean readToTheEnd(Scheduler scheduler, String leaseTable, String olderStreamArn) throws Exception {
		return this.guard.readToTheEnd(leaseTable, olderStreamArn, scheduler.leaseRefresher());
	}

}
