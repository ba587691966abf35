package io.dynamotrigger.kcl;

import java.util.function.Supplier;

import io.dynamotrigger.config.StreamArn;
import io.dynamotrigger.metrics.TriggerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;

/**
 * Makes lost records visible. When a consumer resumes at a checkpoint whose records DynamoDB Streams has
 * already trimmed (they are kept 24 hours), the Streams Kinesis Adapter quietly reads on from the oldest
 * record still in the shard; when the shard itself is gone (24 hours after it closed), the adapter takes
 * that for the shard's end and goes on with its children. Installed on the DynamoDB Streams client, this
 * interceptor sees the shard-iterator request fail, logs an ERROR naming the table, the shard and the range
 * of lost records (after the checkpoint, up to the oldest record left or the shard's end), and counts it in
 * {@code dynamo.trigger.trimmed}. A shard that is gone before any of its records was read (its lease still
 * at the trim horizon) is logged as a WARN and not counted: shards also close without records.
 *
 * <p>An iterator whose records are trimmed while it is in use fails its GetRecords call; KCL then asks for
 * a new iterator after the last record it read, which this interceptor sees as above.
 */
public final class TrimmedRecordsDetector implements ExecutionInterceptor {

	private static final Logger log = LoggerFactory.getLogger(TrimmedRecordsDetector.class);

	private final Supplier<TriggerMetrics> metrics;

	/**
	 * Creates the detector.
	 * @param metrics where trimmed reads are counted, looked up when one happens
	 */
	public TrimmedRecordsDetector(Supplier<TriggerMetrics> metrics) {
		this.metrics = metrics;
	}

	@Override
	public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes executionAttributes) {
		if (!(context.request() instanceof GetShardIteratorRequest request)) {
			return;
		}
		String table = table(request.streamArn());
		if (context.exception() instanceof TrimmedDataAccessException && request.sequenceNumber() != null) {
			log.error("Records of table {} shard {} after sequence number {} up to the oldest record still in the"
					+ " shard were trimmed from the stream before they were read (DynamoDB Streams keeps records 24"
					+ " hours): they are lost. Reading on from the oldest record still in the shard.", table,
					request.shardId(), request.sequenceNumber());
			this.metrics.get().trimmed(table);
		}
		else if (context.exception() instanceof ResourceNotFoundException && request.sequenceNumber() != null) {
			log.error("Records of table {} shard {} after sequence number {} up to the shard's end, if there were"
					+ " any, were trimmed from the stream before they were read: the shard is gone (DynamoDB Streams"
					+ " removes a shard 24 hours after it closed), and they are lost. Going on with its child"
					+ " shards.", table, request.shardId(), request.sequenceNumber());
			this.metrics.get().trimmed(table);
		}
		else if (context.exception() instanceof ResourceNotFoundException) {
			log.warn("Table {} shard {} is gone from the stream before any of its records was read (DynamoDB Streams"
					+ " removes a shard 24 hours after it closed): the records it held, if any, are lost. Going on"
					+ " with its child shards.", table, request.shardId());
		}
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

}
