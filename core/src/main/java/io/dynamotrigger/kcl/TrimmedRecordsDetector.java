package io.dynamotrigger.kcl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.dynamotrigger.config.StreamArn;
import io.dynamotrigger.metrics.TriggerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsRequest;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;

/**
 * Makes lost records visible. When a consumer resumes at a checkpoint whose records DynamoDB Streams has
 * already trimmed (they are kept 24 hours), the Streams Kinesis Adapter quietly reads on from the oldest
 * record still in the shard; when the shard itself is gone (24 hours after it closed), the adapter takes
 * that for the shard's end and goes on with its children. Installed on the DynamoDB Streams client, this
 * interceptor sees the shard-iterator request fail and counts it in {@code dynamo.trigger.trimmed} at once.
 * It logs an ERROR naming the table, the shard and both ends of the lost range: after the checkpoint, up to
 * the oldest record still in the shard (its sequence number, logged when the adapter's read from the trim
 * horizon returns it), or up to the shard's end, naming the child shards reading goes on in. A shard that is
 * gone before any of its records was read (its lease still at the trim horizon) is logged as a WARN and not
 * counted: shards also close without records.
 *
 * <p>An iterator whose records are trimmed while it is in use fails its GetRecords call; KCL then asks for
 * a new iterator after the last record it read, which this interceptor sees as above.
 */
public final class TrimmedRecordsDetector implements ExecutionInterceptor {

	private static final Logger log = LoggerFactory.getLogger(TrimmedRecordsDetector.class);

	/** Parents whose children are remembered: far more than a stream keeps within its retention. */
	private static final int REMEMBERED_PARENTS = 10_000;

	private final Supplier<TriggerMetrics> metrics;

	/** Trimmed ranges by stream and shard, until the adapter asks for the shard's trim horizon. */
	private final Map<String, TrimmedRange> awaitingTrimHorizon = new ConcurrentHashMap<>();

	/** Trimmed ranges by the iterator that reads on, until a read returns a record or the shard's end. */
	private final Map<String, TrimmedRange> awaitingFirstRecord = new ConcurrentHashMap<>();

	/** Child shard ids by parent shard id, as DynamoDB Streams described them. */
	private final Map<String, List<String>> children = Collections
		.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
				return size() > REMEMBERED_PARENTS;
			}

		});

	/**
	 * Creates the detector.
	 * @param metrics where trimmed reads are counted, looked up when one happens
	 */
	public TrimmedRecordsDetector(Supplier<TriggerMetrics> metrics) {
		this.metrics = metrics;
	}

	@Override
	public void afterExecution(Context.AfterExecution context, ExecutionAttributes executionAttributes) {
		SdkRequest request = context.request();
		if (request instanceof GetRecordsRequest read && !this.awaitingFirstRecord.isEmpty()) {
			TrimmedRange range = this.awaitingFirstRecord.remove(read.shardIterator());
			if (range != null) {
				readOn(range, (GetRecordsResponse) context.response());
			}
		}
		else if (request instanceof GetShardIteratorRequest iterator && !this.awaitingTrimHorizon.isEmpty()
				&& iterator.shardIteratorType() == ShardIteratorType.TRIM_HORIZON) {
			TrimmedRange range = this.awaitingTrimHorizon.remove(key(iterator.streamArn(), iterator.shardId()));
			if (range != null) {
				this.awaitingFirstRecord.put(((GetShardIteratorResponse) context.response()).shardIterator(), range);
			}
		}
		else if (context.response() instanceof DescribeStreamResponse description) {
			for (Shard shard : description.streamDescription().shards()) {
				if (shard.parentShardId() != null) {
					this.children.compute(shard.parentShardId(), (parent, known) -> withChild(known, shard.shardId()));
				}
			}
		}
	}

	@Override
	public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes executionAttributes) {
		if (context.request() instanceof GetRecordsRequest read && !this.awaitingFirstRecord.isEmpty()) {
			TrimmedRange range = this.awaitingFirstRecord.remove(read.shardIterator());
			if (range != null) {
				log.error("Records of table {} shard {} after sequence number {} up to the oldest record still in the"
						+ " shard were trimmed from the stream before they were read (DynamoDB Streams keeps records 24"
						+ " hours): they are lost. The read from the oldest record failed ({}), so where the lost"
						+ " range ends is not known", range.table(), range.shardId(), range.after(),
						context.exception().toString());
			}
			return;
		}
		if (!(context.request() instanceof GetShardIteratorRequest request)) {
			return;
		}
		String table = table(request.streamArn());
		if (context.exception() instanceof TrimmedDataAccessException && request.sequenceNumber() != null) {
			this.awaitingTrimHorizon.put(key(request.streamArn(), request.shardId()),
					new TrimmedRange(table, request.shardId(), request.sequenceNumber()));
			this.metrics.get().trimmed(table);
		}
		else if (context.exception() instanceof ResourceNotFoundException && request.sequenceNumber() != null) {
			log.error("Records of table {} shard {} after sequence number {} up to the shard's end, if there were"
					+ " any, were trimmed from the stream before they were read: the shard is gone (DynamoDB Streams"
					+ " removes a shard 24 hours after it closed), and they are lost. Going on with its child"
					+ " shards {}.", table, request.shardId(), request.sequenceNumber(), childrenOf(request.shardId()));
			this.metrics.get().trimmed(table);
		}
		else if (context.exception() instanceof ResourceNotFoundException) {
			log.warn("Table {} shard {} is gone from the stream before any of its records was read (DynamoDB Streams"
					+ " removes a shard 24 hours after it closed): the records it held, if any, are lost. Going on"
					+ " with its child shards {}.", table, request.shardId(), childrenOf(request.shardId()));
		}
	}

	/**
	 * Reports a trimmed range once the read from the trim horizon found the oldest record left, or the
	 * shard's end; an empty read that is not the end leaves the range waiting for the next one.
	 */
	private void readOn(TrimmedRange range, GetRecordsResponse response) {
		if (response.hasRecords() && !response.records().isEmpty()) {
			String first = response.records().get(0).dynamodb().sequenceNumber();
			log.error("Records of table {} shard {} after sequence number {} up to sequence number {} (the oldest"
					+ " record still in the shard, not included) were trimmed from the stream before they were read"
					+ " (DynamoDB Streams keeps records 24 hours): they are lost. Reading on from sequence number {}.",
					range.table(), range.shardId(), range.after(), first, first);
		}
		else if (response.nextShardIterator() != null) {
			this.awaitingFirstRecord.put(response.nextShardIterator(), range);
		}
		else {
			log.error("Records of table {} shard {} after sequence number {} up to the shard's end were trimmed from"
					+ " the stream before they were read (DynamoDB Streams keeps records 24 hours): they are lost, and"
					+ " none is left in the shard. Going on with its child shards {}.", range.table(), range.shardId(),
					range.after(), childrenOf(range.shardId()));
		}
	}

	private static List<String> withChild(List<String> known, String child) {
		List<String> children = (known != null) ? new ArrayList<>(known) : new ArrayList<>(2);
		if (!children.contains(child)) {
			children.add(child);
		}
		return children;
	}

	private String childrenOf(String shardId) {
		List<String> known = this.children.get(shardId);
		// A child closed longer ago than the retention is gone as well, and no longer described.
		return (known != null) ? known.toString() : "(none described: gone as well; reading goes on with their"
				+ " descendants still in the stream)";
	}

	private static String key(String streamArn, String shardId) {
		return streamArn + ' ' + shardId;
	}

	/**
	 * The table of a stream, or the ARN itself if it is none of a DynamoDB stream's, so that the loss is
	 * still logged and counted.
	 */
	private static String table(String streamArn) {
		try {
			return StreamArn.parse(streamArn).tableName();
		}
		catch (IllegalArgumentException ex) {
			return streamArn;
		}
	}

	/**
	 * Records lost in one shard, after a checkpoint, whose end is not known yet.
	 */
	private record TrimmedRange(String table, String shardId, String after) {

	}

}
