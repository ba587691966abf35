package io.dynamotrigger.kcl;

import com.amazonaws.services.dynamodbv2.streamsadapter.model.DynamoDBStreamsProcessRecordsInput;
import com.amazonaws.services.dynamodbv2.streamsadapter.processor.DynamoDBStreamsShardRecordProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;

/**
 * The processor the shared KCL application gives a shard of a stream that no trigger of the application
 * reads: leases the lease table still holds for a table that is no longer triggered (KCL keeps consuming
 * them, KCL issue 1112). It calls nothing and never checkpoints, so the stream's checkpoints stay where they
 * were: nothing is skipped, and a table triggered again resumes there.
 */
public final class FormerStreamProcessor implements DynamoDBStreamsShardRecordProcessor {

	private static final Logger log = LoggerFactory.getLogger(FormerStreamProcessor.class);

	private final String leaseTable;

	private final String stream;

	/**
	 * Creates the processor of a shard of a stream no trigger reads.
	 * @param leaseTable the shared lease table, for the log
	 * @param stream the stream, for the log
	 */
	public FormerStreamProcessor(String leaseTable, String stream) {
		this.leaseTable = leaseTable;
		this.stream = stream;
	}

	@Override
	public void initialize(InitializationInput input) {
		log.warn("Lease table {} holds leases of stream {} (shard {}), which no trigger of this application reads;"
				+ " they are neither read into a trigger nor checkpointed. Delete the stream's items from the lease"
				+ " table if its table is no longer to be triggered", this.leaseTable, this.stream, input.shardId());
	}

	@Override
	public void processRecords(DynamoDBStreamsProcessRecordsInput input) {
		// Not checkpointed: the records stay unread for whoever reads the stream again.
	}

	@Override
	public void leaseLost(LeaseLostInput input) {
		// Nothing held.
	}

	@Override
	public void shardEnded(ShardEndedInput input) {
		// The end is not checkpointed: the records of the shard were not read into a trigger.
	}

	@Override
	public void shutdownRequested(ShutdownRequestedInput input) {
		// Nothing to checkpoint.
	}

}
