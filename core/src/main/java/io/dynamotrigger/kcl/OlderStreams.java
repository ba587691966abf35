package io.dynamotrigger.kcl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.amazonaws.services.dynamodbv2.streamsadapter.util.KinesisMapperUtil;
import io.dynamotrigger.config.StreamArn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.kinesis.common.StreamIdentifier;
import software.amazon.kinesis.leases.Lease;
import software.amazon.kinesis.leases.LeaseRefresher;
import software.amazon.kinesis.leases.MultiStreamLease;
import software.amazon.kinesis.leases.exceptions.DependencyException;
import software.amazon.kinesis.leases.exceptions.InvalidStateException;
import software.amazon.kinesis.leases.exceptions.ProvisionedThroughputException;

/**
 * The older streams of the tables the shared KCL application reads, which are read to their end before each
 * table's current stream, as a table's own consumer does (see {@link StreamCheckpointGuard}). A table deleted
 * and created again, or whose stream was disabled and enabled again, has a new stream; the old one stays
 * readable until its records expire. In the shared lease table the old stream's leases stay under their own
 * keys; where they are not all checkpointed at their shard's end, the old stream has records the application
 * has not handled. Streams the table had in between, with no leases at all, were never read either.
 *
 * <p>KCL reads every stream that has leases in the lease table, also one its tracker does not name; the
 * application gives those shards a processor of their table. A table's streams get their leases one at a
 * time: the next stream's (from its oldest record) once the one before is read to its end, and only then are
 * the leases of the one before deleted, so that a restart in between finds where to go on. Holding the later
 * streams' reads instead would hold KCL's threads, and KCL would not start the shards of the older stream.
 */
public final class OlderStreams {

	private static final Logger log = LoggerFactory.getLogger(OlderStreams.class);

	private final StreamCheckpointGuard guard;

	private final String leaseTable;

	/**
	 * Creates the finder for one shared lease table.
	 * @param guard describes the streams
	 * @param leaseTable the shared lease table, for the log
	 */
	public OlderStreams(StreamCheckpointGuard guard, String leaseTable) {
		this.guard = guard;
		this.leaseTable = leaseTable;
	}

	/**
	 * Returns the table a stream belongs to.
	 * @param stream a stream identifier of KCL's multi-stream mode
	 * @return the table's stream ARN parsed
	 */
	public static StreamArn streamArnOf(StreamIdentifier stream) {
		return StreamArn.parse(KinesisMapperUtil.createDynamoDBStreamsArnFromKinesisStreamName(stream.streamName()));
	}

	/**
	 * Finds each table's older streams to read to their end before its current one.
	 * @param streams the tables' current streams
	 * @param leases the shared lease table
	 * @return for each current stream, by its serialized identifier, its table's older streams
	 * @throws DependencyException if the lease table cannot be read or written
	 * @throws InvalidStateException if the lease table does not exist
	 * @throws ProvisionedThroughputException if the lease table refuses a request
	 */
	Map<String, Found> find(List<SharedStream> streams, LeaseRefresher leases)
			throws DependencyException, InvalidStateException, ProvisionedThroughputException {
		Map<String, List<Lease>> byStream = leases.listLeases()
			.stream()
			.filter(MultiStreamLease.class::isInstance)
			.collect(Collectors.groupingBy((lease) -> ((MultiStreamLease) lease).streamIdentifier(), LinkedHashMap::new,
					Collectors.toList()));
		Map<String, Found> older = new LinkedHashMap<>();
		for (SharedStream stream : streams) {
			older.put(stream.streamIdentifier().serialize(), olderOf(stream, byStream));
		}
		return older;
	}

	private Found olderOf(SharedStream current, Map<String, List<Lease>> byStream) {
		StreamArn currentArn = StreamArn.parse(current.streamArn());
		List<StreamIdentifier> withLeases = byStream.keySet()
			.stream()
			.map(StreamIdentifier::multiStreamInstance)
			.filter((stream) -> {
				StreamArn arn = streamArnOf(stream);
				return arn.tableName().equals(currentArn.tableName())
						&& arn.label().compareTo(currentArn.label()) < 0;
			})
			.sorted(Comparator.comparing((StreamIdentifier stream) -> streamArnOf(stream).label()))
			.toList();
		List<StreamIdentifier> toRead = new ArrayList<>(withLeases);
		if (!withLeases.isEmpty() && !byStream.containsKey(current.streamIdentifier().serialize())) {
			String newest = streamArnOf(withLeases.get(withLeases.size() - 1)).label();
			for (String between : this.guard.readableStreamsBetween("the shared KCL application " + this.leaseTable,
					currentArn.tableName(), newest, currentArn.label())) {
				toRead.add(SharedStream.identifierOf(between));
			}
		}
		if (!toRead.isEmpty()) {
			log.info("Table {} has older streams {} with records not read yet: reading them to their end first, in"
					+ " turn, then stream {}", current.table(),
					toRead.stream().map((stream) -> streamArnOf(stream).label()).toList(), currentArn.label());
		}
		return new Found(toRead, !withLeases.isEmpty());
	}

	/**
	 * A table's older streams.
	 * @param toRead the older streams to read to their end before the current one, oldest first: those with
	 * leases in the lease table (some may be read to their end already), then those the table had in between,
	 * never read
	 * @param readBefore whether the application read an older stream of the table before: it then reads the
	 * current stream from its oldest record, whatever its starting position
	 */
	record Found(List<StreamIdentifier> toRead, boolean readBefore) {

	}

	/**
	 * Tells whether an older stream is read to its end: every shard of it that can still be read is
	 * checkpointed at its end, or it can no longer be read at all; then after an ERROR naming the leased shards
	 * not at their end that can no longer be read, and the checkpoints their lost records follow.
	 * @param stream the older stream
	 * @param leases the shared lease table
	 * @return whether nothing of it is left to read
	 * @throws DependencyException if the lease table cannot be read
	 * @throws InvalidStateException if the lease table does not exist
	 * @throws ProvisionedThroughputException if the lease table refuses a request
	 */
	public boolean readToTheEnd(StreamIdentifier stream, LeaseRefresher leases)
			throws DependencyException, InvalidStateException, ProvisionedThroughputException {
		List<Lease> streamLeases = leases.listLeasesForStream(stream);
		StreamArn arn = streamArnOf(stream);
		List<Shard> shards = this.guard.readableShards(arn.value(), arn.label());
		if (shards != null) {
			Map<String, Lease> byShard = streamLeases.stream()
				.collect(Collectors.toMap((lease) -> ((MultiStreamLease) lease).shardId(), (lease) -> lease));
			for (Shard shard : shards) {
				Lease lease = byShard.get(shard.shardId());
				if (lease == null || !StreamCheckpointGuard.atShardEnd(lease)) {
					return false;
				}
			}
		}
		// Leased shards not at their end that can no longer be read, also of a stream still described.
		List<String> lost = StreamCheckpointGuard.unreadable(streamLeases, (shards != null) ? shards : List.of());
		if (!lost.isEmpty()) {
			log.error("Older stream {} of table {} {}: its records {} are lost", arn.label(), arn.tableName(),
					(shards != null) ? "has shards that can no longer be read (their records expired)"
							: "can no longer be read (its records expired, or the stream is gone)",
					String.join(", ", lost));
		}
		return true;
	}

	/**
	 * Deletes the leases of an older stream read to its end, so that KCL stops taking them.
	 * @param stream the older stream
	 * @param leases the shared lease table
	 * @throws DependencyException if the lease table cannot be read or written
	 * @throws InvalidStateException if the lease table does not exist
	 * @throws ProvisionedThroughputException if the lease table refuses a request
	 */
	public void deleteLeases(StreamIdentifier stream, LeaseRefresher leases)
			throws DependencyException, InvalidStateException, ProvisionedThroughputException {
		List<Lease> streamLeases = leases.listLeasesForStream(stream);
		for (Lease lease : streamLeases) {
			leases.deleteLease(lease);
		}
		StreamArn arn = streamArnOf(stream);
		log.info("Older stream {} of table {} has nothing left to read: deleted its {} leases from {}", arn.label(),
				arn.tableName(), streamLeases.size(), this.leaseTable);
	}

}
