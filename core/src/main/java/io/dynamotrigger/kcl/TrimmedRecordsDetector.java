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
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;

/**
 * Makes lost records visible. When a consumer resumes at a checkpoint whose records DynamoDB Streams has
 * already trimmed (they are kept 24 hours), the Streams Kinesis Adapter quietly reads on from the oldest
 * record still in the stream. Installed on the DynamoDB Streams client, this interceptor sees that
 * request fail, logs an ERROR naming the table, shard and the checkpoint after which records are lost, and
 * counts it in {@code dynamo.trigger.trimmed}.
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
		if (context.exception() instanceof TrimmedDataAccessException
				&& context.request() instanceof GetShardIteratorRequest request && request.sequenceNumber() != null) {
			String table = table(request.streamArn());
			log.error("Records of table {} shard {} after sequence number {} were trimmed from the stream before they"
					+ " were read (DynamoDB Streams keeps records 24 hours): they are lost. Reading on from the oldest"
					+ " record still in the stream.", table, request.shardId(), request.sequenceNumber());
			this.metrics.get().trimmed(table);
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
