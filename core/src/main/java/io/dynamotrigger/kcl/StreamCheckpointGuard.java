package io.dynamotrigger.kcl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

import io.dynamotrigger.config.StreamArn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.ListStreamsResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.Stream;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.kinesis.leases.Lease;
import software.amazon.kinesis.leases.MultiStreamLease;
import software.amazon.kinesis.leases.LeaseRefresher;
import software.amazon.kinesis.leases.exceptions.DependencyException;
import software.amazon.kinesis.leases.exceptions.InvalidStateException;
import software.amazon.kinesis.leases.exceptions.ProvisionedThroughputException;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

/**
 * Keeps checkpoints of one stream from being used on another, and has a replaced stream read to its end
 * before the new one. A lease table is tagged with the label of the stream its leases belong to. When the
 * table's stream changed (the table was deleted and created again, or its stream was disabled and enabled
 * again), the old stream stays readable until its records expire: while it has records the consumer has not
 * read, the lease table stays bound to it and the consumer reads it first; once every shard of it is
 * checkpointed at its end, or it can no longer be read, its leases are deleted and the table is bound to
 * the new stream. The consumer has read records before, so it reads the new stream from its oldest record,
 * whatever its starting position: those records are not handled yet either.
 */
public final class StreamCheckpointGuard {

	static final String STREAM_LABEL_TAG = "dynamo-trigger:stream-label";

	/** Set when the lease table went on from a replaced stream: its consumer has read records before. */
	static final String REPLACED_STREAM_LABEL_TAG = "dynamo-trigger:replaced-stream-label";

	private static final Logger log = LoggerFactory.getLogger(StreamCheckpointGuard.class);

	private final DynamoDbAsyncClient dynamoDb;

	private final DynamoDbStreamsClient streams;

	/**
	 * Creates the guard.
	 * @param dynamoDb the client that reads and tags the lease tables
	 * @param streams the client that describes a replaced stream
	 */
	public StreamCheckpointGuard(DynamoDbAsyncClient dynamoDb, DynamoDbStreamsClient streams) {
		this.dynamoDb = dynamoDb;
		this.streams = streams;
	}

	/**
	 * Binds a lease table to a stream, unless it belongs to an older stream of the same table that still has
	 * records to read; deletes the leases of an older stream it was bound to before, after logging an ERROR
	 * that names the shards of it that can no longer be read and the checkpoints their lost records follow.
	 * Asked for the older stream it went on from (an instance that was reading it while another finished),
	 * it changes nothing.
	 * @param leaseTable the lease table, which exists
	 * @param streamArn the table's current stream
	 * @param leases KCL's access to the lease table
	 * @return the older stream to read to its end first, or that the lease table is bound to {@code streamArn}
	 * and whether it went on from an older stream
	 */
	Binding bind(String leaseTable, String streamArn, LeaseRefresher leases)
			throws DependencyException, InvalidStateException, ProvisionedThroughputException {
		String tableArn = tableArn(leaseTable);
		String label = StreamArn.parse(streamArn).label();
		Map<String, String> tags = tags(tableArn);
		String boundLabel = tags.get(STREAM_LABEL_TAG);
		if (label.equals(boundLabel)) {
			return new Binding(null, tags.containsKey(REPLACED_STREAM_LABEL_TAG), false);
		}
		if (label.equals(tags.get(REPLACED_STREAM_LABEL_TAG))) {
			// Another instance read this older stream to its end and bound the lease table to the new one.
			return new Binding(null, true, true);
		}
		if (boundLabel == null) {
			tag(tableArn, Tag.builder().key(STREAM_LABEL_TAG).value(label).build());
			return new Binding(null, false, false);
		}
		String oldStreamArn = streamArn.substring(0, streamArn.length() - label.length()) + boundLabel;
		List<Shard> oldShards = readableShards(oldStreamArn, boundLabel);
		if (oldShards != null && !readToTheEnd(oldShards, leases)) {
			log.info("The stream of lease table {} changed from {} to {}: reading the old stream to its end first,"
					+ " then the new one", leaseTable, boundLabel, label);
			return new Binding(oldStreamArn, false, false);
		}
		List<Lease> oldLeases = leases.listLeases();
		List<String> lost = unreadable(oldLeases, (oldShards != null) ? oldShards : List.of());
		if (!lost.isEmpty()) {
			log.error("The stream of lease table {} changed from {} to {}, and shards of the old stream {} can no"
					+ " longer be read (their records expired, or the stream is gone): its records {} are lost."
					+ " Deleting its checkpoints; going on with the new stream from its oldest record", leaseTable,
					boundLabel, label, oldStreamArn, String.join(", ", lost));
		}
		else {
			log.info("The stream of lease table {} changed from {} to {}, and every record of the old stream was"
					+ " read: deleting its checkpoints; going on with the new stream from its oldest record",
					leaseTable, boundLabel, label);
		}
		String between = nextReadableStream(leaseTable, StreamArn.parse(streamArn).tableName(), boundLabel, label);
		String nextLabel = (between != null) ? StreamArn.parse(between).label() : label;
		// Bound first, then the old leases deleted, and only those: an instance that sees the old binding
		// still finds every old lease, and one that sees the new binding may already create the new
		// stream's leases.
		tag(tableArn, Tag.builder().key(STREAM_LABEL_TAG).value(nextLabel).build(),
				Tag.builder().key(REPLACED_STREAM_LABEL_TAG).value(boundLabel).build());
		for (Lease lease : oldLeases) {
			leases.deleteLease(lease);
		}
		if (between != null) {
			log.info("The table of lease table {} had stream {} between {} and {}: reading it to its end next",
					leaseTable, nextLabel, boundLabel, label);
			return new Binding(between, false, false);
		}
		return new Binding(null, true, false);
	}

	/**
	 * Finds the oldest stream of the table created after the one the lease table was bound to and before the
	 * current one (replaced too while no consumer ran), logging an ERROR for each such stream that can no
	 * longer be read: all its records are lost.
	 * @return the stream to read to its end next, or {@code null} if there is none
	 */
	private String nextReadableStream(String leaseTable, String tableName, String afterLabel, String beforeLabel) {
		List<String> between = readableStreamsBetween("lease table " + leaseTable, tableName, afterLabel, beforeLabel);
		return between.isEmpty() ? null : between.get(0);
	}

	/**
	 * Lists the streams of a table created after one stream and before another, oldest first, that can still
	 * be read, logging an ERROR for each that can no longer be read: all its records are lost.
	 * @param reader who reads the table, for the log
	 * @param tableName the table
	 * @param afterLabel the label of the stream read before
	 * @param beforeLabel the label of the table's current stream
	 * @return the ARNs of the readable streams between the two
	 */
	List<String> readableStreamsBetween(String reader, String tableName, String afterLabel, String beforeLabel) {
		String start = null;
		List<Stream> between = new ArrayList<>();
		do {
			String exclusiveStart = start;
			ListStreamsResponse response = this.streams
				.listStreams((request) -> request.tableName(tableName).exclusiveStartStreamArn(exclusiveStart));
			response.streams()
				.stream()
				.filter((stream) -> stream.streamLabel().compareTo(afterLabel) > 0
						&& stream.streamLabel().compareTo(beforeLabel) < 0)
				.forEach(between::add);
			start = response.lastEvaluatedStreamArn();
		}
		while (start != null);
		between.sort(Comparator.comparing(Stream::streamLabel));
		List<String> readable = new ArrayList<>();
		for (Stream stream : between) {
			if (readableShards(stream.streamArn(), stream.streamLabel()) != null) {
				readable.add(stream.streamArn());
			}
			else {
				log.error("Stream {} of table {} replaced the stream {} that {} read and was replaced itself before"
						+ " it was read; it can no longer be read (its records expired, or the stream is gone): all"
						+ " its records are lost", stream.streamLabel(), tableName, afterLabel, reader);
			}
		}
		return readable;
	}

	/**
	 * The ranges lost in shards of a replaced stream that cannot be read any more: each lease not checkpointed
	 * at its shard's end whose shard is not among the readable ones.
	 */
	static List<String> unreadable(List<Lease> leases, List<Shard> readable) {
		Set<String> readableIds = readable.stream().map(Shard::shardId).collect(Collectors.toSet());
		return leases.stream()
			.filter((lease) -> !atShardEnd(lease) && !readableIds.contains(shardIdOf(lease)))
			.sorted(Comparator.comparing(StreamCheckpointGuard::shardIdOf))
			.map((lease) -> "of shard " + shardIdOf(lease) + " after " + position(lease.checkpoint())
					+ " up to the shard's end")
			.toList();
	}

	private static String shardIdOf(Lease lease) {
		return (lease instanceof MultiStreamLease multiStream) ? multiStream.shardId() : lease.leaseKey();
	}

	private static String position(ExtendedSequenceNumber checkpoint) {
		if (ExtendedSequenceNumber.TRIM_HORIZON.equals(checkpoint) || ExtendedSequenceNumber.LATEST.equals(checkpoint)) {
			return checkpoint.sequenceNumber() + " (none read)";
		}
		return "sequence number " + checkpoint.sequenceNumber();
	}

	/**
	 * Tells whether every shard of a replaced stream that can still be read is checkpointed at its end, or
	 * the lease table is no longer bound to that stream (another instance read it to its end first).
	 * @param leaseTable the lease table
	 * @param oldStreamArn the replaced stream
	 * @param leases KCL's access to the lease table
	 * @return {@code true} when nothing of the stream is left to read
	 */
	boolean readToTheEnd(String leaseTable, String oldStreamArn, LeaseRefresher leases)
			throws DependencyException, InvalidStateException, ProvisionedThroughputException {
		String label = StreamArn.parse(oldStreamArn).label();
		if (!label.equals(tags(tableArn(leaseTable)).get(STREAM_LABEL_TAG))) {
			return true;
		}
		List<Shard> shards = readableShards(oldStreamArn, label);
		return shards == null || readToTheEnd(shards, leases);
	}

	/**
	 * Returns the label of the stream a per-table lease table is bound to.
	 * @param leaseTable the lease table
	 * @return the label, or {@code null} when the lease table does not exist or was never bound
	 */
	String boundLabel(String leaseTable) {
		String tableArn;
		try {
			tableArn = tableArn(leaseTable);
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof ResourceNotFoundException) {
				return null;
			}
			throw ex;
		}
		return tags(tableArn).get(STREAM_LABEL_TAG);
	}

	private String tableArn(String leaseTable) {
		return this.dynamoDb.describeTable((request) -> request.tableName(leaseTable)).join().table().tableArn();
	}

	/**
	 * Returns the lease table's tags. Instances starting together may each tag the table; the local endpoint
	 * then lists a tag once per tagging, and the last value is the one that counts.
	 */
	private Map<String, String> tags(String tableArn) {
		Map<String, String> tags = new HashMap<>();
		for (Tag tag : this.dynamoDb.listTagsOfResource((request) -> request.resourceArn(tableArn)).join().tags()) {
			tags.put(tag.key(), tag.value());
		}
		return tags;
	}

	private void tag(String tableArn, Tag... tags) {
		this.dynamoDb.tagResource((request) -> request.resourceArn(tableArn).tags(tags)).join();
	}

	private static boolean readToTheEnd(List<Shard> shards, LeaseRefresher leases)
			throws DependencyException, InvalidStateException, ProvisionedThroughputException {
		for (Shard shard : shards) {
			Lease lease = leases.getLease(shard.shardId());
			if (lease == null || !atShardEnd(lease)) {
				return false;
			}
		}
		return true;
	}

	static boolean atShardEnd(Lease lease) {
		return ExtendedSequenceNumber.SHARD_END.equals(lease.checkpoint());
	}

	/**
	 * The shards of a replaced stream, or {@code null} if it can no longer be read. A stream is described
	 * only if it is the one asked for (an endpoint could answer with the table's current stream).
	 */
	List<Shard> readableShards(String streamArn, String label) {
		List<Shard> shards = new ArrayList<>();
		String start = null;
		try {
			do {
				String exclusiveStart = start;
				DescribeStreamResponse response = this.streams
					.describeStream((request) -> request.streamArn(streamArn).exclusiveStartShardId(exclusiveStart));
				StreamDescription description = response.streamDescription();
				if (!label.equals(description.streamLabel()) || "ENABLED".equals(description.streamStatusAsString())) {
					return null;
				}
				shards.addAll(description.shards());
				start = description.lastEvaluatedShardId();
			}
			while (start != null);
		}
		catch (ResourceNotFoundException ex) {
			return null;
		}
		return shards;
	}

	/**
	 * What a lease table is bound to.
	 * @param olderStreamArn an older stream of the table to read to its end first, or {@code null} when the
	 * lease table is bound to the stream asked for
	 * @param continued whether the lease table went on from an older stream, so that the consumer has read
	 * records before
	 * @param replaced whether the stream asked for is the older stream the lease table went on from: it is
	 * read to its end, and its leases are deleted
	 */
	record Binding(String olderStreamArn, boolean continued, boolean replaced) {

	}

}
