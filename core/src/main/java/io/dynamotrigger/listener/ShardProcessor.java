package io.dynamotrigger.listener;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import com.amazonaws.services.dynamodbv2.streamsadapter.model.DynamoDBStreamsProcessRecordsInput;
import com.amazonaws.services.dynamodbv2.streamsadapter.processor.DynamoDBStreamsShardRecordProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.exceptions.KinesisClientLibException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;

/**
 * KCL's processor of one shard: hands each record to the table's {@link RecordDispatcher} in order and
 * checkpoints the last record that is done, never one after a record that is not. Nothing escapes to
 * KCL, which would skip the batch.
 */
final class ShardProcessor implements DynamoDBStreamsShardRecordProcessor {

	private static final Logger log = LoggerFactory.getLogger(ShardProcessor.class);

	private final String table;

	private final RecordDispatcher dispatcher;

	private String shardId = "?";

	private String lastDone;

	private String lastCheckpointed;

	ShardProcessor(String table, RecordDispatcher dispatcher) {
		this.table = table;
		this.dispatcher = dispatcher;
	}

	@Override
	public void initialize(InitializationInput input) {
		this.shardId = input.shardId();
		this.lastCheckpointed = input.extendedSequenceNumber().sequenceNumber();
		log.info("Took the lease of table {} shard {}; reading from {}", this.table, this.shardId,
				this.lastCheckpointed);
	}

	@Override
	public void processRecords(DynamoDBStreamsProcessRecordsInput input) {
		for (DynamoDBStreamsClientRecord record : input.records()) {
			if (this.dispatcher.isStopped() || !this.dispatcher.dispatch(record.getRecord(), this.shardId)) {
				break;
			}
			this.lastDone = record.sequenceNumber();
		}
		checkpoint(input.checkpointer());
	}

	@Override
	public void leaseLost(LeaseLostInput input) {
		if (!this.dispatcher.isStopped()) {
			log.info("Lease of table {} shard {} moved to another worker", this.table, this.shardId);
		}
	}

	@Override
	public void shardEnded(ShardEndedInput input) {
		// KCL only starts the child shards once the parent is checkpointed at its end.
		try {
			input.checkpointer().checkpoint();
		}
		catch (KinesisClientLibException ex) {
			log.warn("Could not checkpoint the end of table {} shard {}; KCL retries it", this.table, this.shardId,
					ex);
		}
	}

	@Override
	public void shutdownRequested(ShutdownRequestedInput input) {
		checkpoint(input.checkpointer());
	}

	private void checkpoint(RecordProcessorCheckpointer checkpointer) {
		String done = this.lastDone;
		if (done == null || done.equals(this.lastCheckpointed)) {
			return;
		}
		try {
			checkpointer.checkpoint(done);
			this.lastCheckpointed = done;
		}
		catch (ShutdownException ex) {
			log.info("Not checkpointing table {} shard {}: its lease moved to another worker", this.table,
					this.shardId);
		}
		catch (KinesisClientLibException ex) {
			log.warn("Could not checkpoint table {} shard {} at {}; the next batch tries again", this.table,
					this.shardId, done, ex);
		}
	}

}
