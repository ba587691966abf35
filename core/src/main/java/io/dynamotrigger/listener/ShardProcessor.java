package io.dynamotrigger.listener;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import com.amazonaws.services.dynamodbv2.streamsadapter.model.DynamoDBStreamsProcessRecordsInput;
import com.amazonaws.services.dynamodbv2.streamsadapter.processor.DynamoDBStreamsShardRecordProcessor;
import io.dynamotrigger.metrics.ShardMeters;
import io.dynamotrigger.metrics.TriggerMetrics;
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
 * KCL's processor of one shard: hands each read of records to the table's {@link RecordDispatcher} and
 * checkpoints the last record that is done, never one after a record that is not. Nothing escapes to
 * KCL, which would skip the batch.
 *
 * <p>The per-record triggers get the records of a read first: one at a time in stream order, or with a
 * concurrency above 1 on lanes by item key. Then, once every record of the read is done for them, the
 * batch triggers get the read. With batch triggers on the table a read is done only as a whole.
 *
 * <p>At the end of the shard the end is checkpointed only when every record received from the shard is
 * done, since KCL starts the child shards once the parent is checkpointed at its end; see
 * {@link #shardEnded(ShardEndedInput)}.
 */
final class ShardProcessor implements DynamoDBStreamsShardRecordProcessor {

	private static final Logger log = LoggerFactory.getLogger(ShardProcessor.class);

	private final String table;

	private final List<String> triggerIds;

	private final RecordDispatcher dispatcher;

	private final TriggerMetrics metrics;

	private final Map<String, ShardProgress> shards;

	private final Clock clock;

	private final int concurrency;

	private final LastShardEnd lastShardEnd;

	private String shardId = "?";

	private RecordLanes lanes;

	private ShardProgress progress;

	private ShardMeters meters;

	private String lastReceived;

	private String lastDone;

	private String lastCheckpointed;

	/**
	 * Creates the processor of one shard.
	 * @param table the table
	 * @param triggerIds the table's triggers, for logs
	 * @param dispatcher the table's dispatcher
	 * @param metrics creates the shard's meters
	 * @param shards the shards of the table this instance processes, by id; the processor adds its own while
	 * it holds the lease
	 * @param clock the time, for lag and in-flight times
	 * @param concurrency how many records of the shard the per-record triggers handle at once, on lanes by
	 * item key; 1 for one at a time
	 * @param lastShardEnd where the processor tells that its shard's end is checkpointed, or that it took a
	 * shard
	 */
	ShardProcessor(String table, List<String> triggerIds, RecordDispatcher dispatcher, TriggerMetrics metrics,
			Map<String, ShardProgress> shards, Clock clock, int concurrency, LastShardEnd lastShardEnd) {
		this.table = table;
		this.triggerIds = triggerIds;
		this.dispatcher = dispatcher;
		this.metrics = metrics;
		this.shards = shards;
		this.clock = clock;
		this.concurrency = concurrency;
		this.lastShardEnd = lastShardEnd;
	}

	@Override
	public void initialize(InitializationInput input) {
		this.shardId = input.shardId();
		this.lastCheckpointed = input.extendedSequenceNumber().sequenceNumber();
		this.progress = new ShardProgress(this.shardId, this.lastCheckpointed);
		this.shards.put(this.shardId, this.progress);
		this.lastShardEnd.shardTaken();
		this.meters = this.metrics.shard(this.table, this.shardId);
		if (this.concurrency > 1 && this.dispatcher.hasRecordTriggers()) {
			this.lanes = new RecordLanes(this.table, this.shardId, this.concurrency);
		}
		log.info("Took the lease of table {} shard {} for trigger(s) {}, starting after {}", this.table,
				this.shardId, this.triggerIds, this.lastCheckpointed);
	}

	@Override
	public void processRecords(DynamoDBStreamsProcessRecordsInput input) {
		List<DynamoDBStreamsClientRecord> records = input.records();
		recordLag(records, input.millisBehindLatest());
		if (!records.isEmpty()) {
			this.lastReceived = records.get(records.size() - 1).sequenceNumber();
		}
		String done = handle(records);
		if (done != null) {
			this.lastDone = done;
		}
		checkpoint(input.checkpointer());
	}

	/**
	 * Delivers one read to the table's triggers.
	 * @param records the read, in stream order
	 * @return the sequence number of the last record up to which every record is done for every trigger, or
	 * {@code null} if the first is not
	 */
	String handle(List<DynamoDBStreamsClientRecord> records) {
		if (records.isEmpty()) {
			return null;
		}
		String done = (this.lanes != null) ? handleOnLanes(records) : handleInOrder(records);
		if (!this.dispatcher.hasBatchTriggers()) {
			return done;
		}
		String last = records.get(records.size() - 1).sequenceNumber();
		return (last.equals(done) && handleBatch(records)) ? last : null;
	}

	private String handleInOrder(List<DynamoDBStreamsClientRecord> records) {
		String done = null;
		for (DynamoDBStreamsClientRecord record : records) {
			if (this.dispatcher.isStopped()) {
				break;
			}
			this.progress.started(record.sequenceNumber(), this.clock.millis());
			boolean handled = this.dispatcher.dispatch(record.getRecord(), this.shardId);
			this.progress.finished();
			if (!handled) {
				break;
			}
			done = record.sequenceNumber();
		}
		return done;
	}

	private String handleOnLanes(List<DynamoDBStreamsClientRecord> records) {
		// The read counts as one record in progress: a stuck lane holds it, and so shows as a stall.
		this.progress.started(records.get(0).sequenceNumber(), this.clock.millis());
		try {
			return this.lanes.handle(records, (record) -> !this.dispatcher.isStopped()
					&& this.dispatcher.dispatch(record.getRecord(), this.shardId));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		finally {
			this.progress.finished();
		}
	}

	private boolean handleBatch(List<DynamoDBStreamsClientRecord> records) {
		this.progress.started(records.get(0).sequenceNumber(), this.clock.millis());
		try {
			return !this.dispatcher.isStopped() && this.dispatcher
				.dispatchBatch(records.stream().map(DynamoDBStreamsClientRecord::getRecord).toList(), this.shardId);
		}
		finally {
			this.progress.finished();
		}
	}

	private void recordLag(List<DynamoDBStreamsClientRecord> records, Long millisBehindLatest) {
		long lag = (millisBehindLatest != null) ? millisBehindLatest : 0;
		if (!records.isEmpty()) {
			Instant created = records.get(records.size() - 1).approximateArrivalTimestamp();
			if (created != null) {
				lag = Math.max(lag, this.clock.millis() - created.toEpochMilli());
			}
		}
		this.progress.lag(lag);
		this.meters.lag(lag);
	}

	@Override
	public void leaseLost(LeaseLostInput input) {
		if (!this.dispatcher.isStopped()) {
			log.info("Lease of table {} shard {} moved to another worker", this.table, this.shardId);
		}
		release();
	}

	/**
	 * Checkpoints the end of the shard if every record received from it is done, and otherwise only what is
	 * done. KCL starts the child shards once the parent is checkpointed at its end, so checkpointing it with a
	 * record not done (the consumer stopped in the middle of the last read) would leave that record unhandled
	 * for good.
	 * <p>When this returns without the end checkpointed (KCL 3.x {@code ShutdownTask}, also the DynamoDB
	 * Streams adapter's): KCL logs that the application did not checkpoint at the end of the shard, keeps the
	 * lease (and keeps renewing it), leaves the child shards waiting for their parent and calls this method
	 * again on the next round of its scheduler loop, until the end is checkpointed or the lease is lost (then
	 * {@link #leaseLost} follows). KCL's graceful shutdown does not complete for such a shard, so the
	 * consumer's stop ends it at the shutdown timeout and the lease expires. A worker that takes the lease
	 * later reads the shard again from its last checkpoint, so the records not done here are delivered again,
	 * not skipped.
	 */
	@Override
	public void shardEnded(ShardEndedInput input) {
		if (this.lastReceived != null && !this.lastReceived.equals(this.lastDone)) {
			checkpoint(input.checkpointer());
			log.warn("Table {} shard {} ended, but the records after {} up to {} are not done (the consumer"
					+ " stopped before they were): not checkpointing its end, so that its child shards wait and"
					+ " the records are read again from the last checkpoint", this.table, this.shardId,
					(this.lastDone != null) ? this.lastDone : this.lastCheckpointed, this.lastReceived);
			return;
		}
		try {
			input.checkpointer().checkpoint();
		}
		catch (KinesisClientLibException | RuntimeException ex) {
			log.warn("Could not checkpoint the end of table {} shard {}; KCL calls for it again while it holds the"
					+ " lease, and its child shards wait until then", this.table, this.shardId, ex);
			return;
		}
		log.info("Table {} shard {} ended with every record done; its child shards go on", this.table, this.shardId);
		this.lastShardEnd.ended(this.shardId, this.clock.instant());
		release();
	}

	@Override
	public void shutdownRequested(ShutdownRequestedInput input) {
		checkpoint(input.checkpointer());
		release();
	}

	private void release() {
		if (this.progress != null && this.shards.remove(this.shardId, this.progress)) {
			this.meters.close();
			if (this.lanes != null) {
				this.lanes.close();
			}
		}
	}

	private void checkpoint(RecordProcessorCheckpointer checkpointer) {
		String done = this.lastDone;
		if (done == null || done.equals(this.lastCheckpointed)) {
			return;
		}
		try {
			checkpointer.checkpoint(done);
			this.lastCheckpointed = done;
			this.progress.checkpointed(done);
		}
		catch (ShutdownException ex) {
			log.info("Not checkpointing table {} shard {}: its lease moved to another worker", this.table,
					this.shardId);
		}
		catch (KinesisClientLibException | RuntimeException ex) {
			// KCL wraps a failed lease-table write (endpoint unreachable) in a RuntimeException; letting it out of
			// processRecords makes KCL log "Skipping over the following data records" for records already done.
			log.warn("Could not checkpoint table {} shard {} at {}; the next batch tries again", this.table,
					this.shardId, done, ex);
		}
	}

}
