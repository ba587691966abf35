package io.dynamotrigger.listener;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import com.amazonaws.services.dynamodbv2.streamsadapter.model.DynamoDBStreamsProcessRecordsInput;
import com.amazonaws.services.dynamodbv2.streamsadapter.processor.DynamoDBStreamsShardRecordProcessor;
import io.dynamotrigger.lease.LastShardEnd;
import io.dynamotrigger.metrics.ShardMeters;
import io.dynamotrigger.metrics.TriggerMetrics;
import io.dynamotrigger.pause.ShardBacklog;
import io.dynamotrigger.window.ShardWindows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.kinesis.exceptions.KinesisClientLibException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;

/**
 * KCL's processor of one shard: hands each read of records to the table's {@link RecordPipeline}, and has
 * its {@link ShardCheckpointer} checkpoint the last record that is done, never one after a record that is
 * not. Nothing escapes to KCL, which would skip the batch.
 *
 * <p>The per-record triggers get the records of a read first: one at a time in stream order, or with a
 * concurrency above 1 on lanes by partition key. Then, once every record of the read is done for them, each
 * batch trigger adds the records it accepts to its {@link PendingBatch} and is called with every batch that
 * is due: full (batch size), or waiting for longer than its batch window; a window of 0 calls it after each
 * read. Pending batches are checked after every read, also an empty one. The checkpoint goes as far as the
 * per-record triggers are done and no further than the record before any batch trigger's first pending
 * record.
 *
 * <p>Then each window trigger adds the read's records it accepts to its {@link ShardWindows} and saves them
 * before the checkpoint; after an empty read, windows whose end passed are closed.
 *
 * <p>A lost lease drops the pending batches; the next owner reads them again from the checkpoint. A
 * graceful stop calls each batch trigger once with its pending records, without waiting for the window, and
 * then checkpoints; a shard end does so too, with retries, before checkpointing the end.
 *
 * <p>At the end of the shard the end is checkpointed only when every record received from the shard is
 * done, since KCL starts the child shards once the parent is checkpointed at its end; see
 * {@link #shardEnded(ShardEndedInput)}.
 */
final class ShardProcessor implements DynamoDBStreamsShardRecordProcessor {

	private static final Logger log = LoggerFactory.getLogger(ShardProcessor.class);

	private static final long PAUSE_CHECK_MILLIS = 100;

	private final String table;

	private final List<String> triggerIds;

	private final RecordPipeline pipeline;

	private final StopSignal stop;

	private final TriggerMetrics metrics;

	private final Map<String, ShardProgress> shards;

	private final Clock clock;

	private final int concurrency;

	private final String partitionKey;

	private final LastShardEnd lastShardEnd;

	private final ReadGate gate;

	private String shardId = "?";

	private RecordLanes lanes;

	private ShardProgress progress;

	private ShardMeters meters;

	private ShardCheckpointer checkpointer;

	private List<PendingBatch> pendingBatches;

	private ShardBacklog backlog;

	private List<ShardWindows> windows;

	private long nextPosition;

	private String lastRead;

	/**
	 * Creates the processor of one shard.
	 * @param table the table
	 * @param triggerIds the table's triggers, for logs
	 * @param pipeline the table's record pipeline
	 * @param stop tells that the consumer stops
	 * @param metrics creates the shard's meters
	 * @param shards the shards of the table this instance processes, by id; the processor adds its own while
	 * it holds the lease
	 * @param clock the time, for lag and in-flight times
	 * @param concurrency how many records of the shard the per-record triggers handle at once, on lanes by
	 * partition key; 1 for one at a time
	 * @param partitionKey the name of the table's partition key attribute
	 * @param lastShardEnd where the processor tells that its shard's end is checkpointed, or that it took a
	 * shard
	 * @param gate holds each read while the table is stopped within the shared KCL application
	 */
	ShardProcessor(String table, List<String> triggerIds, RecordPipeline pipeline, StopSignal stop,
			TriggerMetrics metrics, Map<String, ShardProgress> shards, Clock clock, int concurrency,
			String partitionKey, LastShardEnd lastShardEnd, ReadGate gate) {
		this.table = table;
		this.triggerIds = triggerIds;
		this.pipeline = pipeline;
		this.stop = stop;
		this.metrics = metrics;
		this.shards = shards;
		this.clock = clock;
		this.concurrency = concurrency;
		this.partitionKey = partitionKey;
		this.lastShardEnd = lastShardEnd;
		this.gate = gate;
	}

	@Override
	public void initialize(InitializationInput input) {
		this.shardId = input.shardId();
		String checkpoint = input.extendedSequenceNumber().sequenceNumber();
		this.progress = new ShardProgress(this.shardId, checkpoint, this.clock.millis());
		this.backlog = new ShardBacklog(this.pipeline.recordTriggers().size());
		this.lastRead = checkpoint;
		this.checkpointer = new ShardCheckpointer(this.table, this.shardId, checkpoint, this.progress,
				this.backlog::firstHeld);
		this.shards.put(this.shardId, this.progress);
		this.lastShardEnd.shardTaken();
		this.meters = this.metrics.shard(this.table, this.shardId);
		if (this.concurrency > 1 && this.pipeline.hasRecordTriggers()) {
			this.lanes = new RecordLanes(this.table, this.shardId, this.concurrency, this.partitionKey);
		}
		this.pendingBatches = this.pipeline.batchTriggers().stream().map(PendingBatch::new).toList();
		this.windows = this.pipeline.windowTriggers()
			.stream()
			.map((trigger) -> new ShardWindows(trigger.endpoint().window(), trigger.windowStates(),
					this.pipeline.windowCalls(trigger, this.shardId), trigger.id(), this.table, this.shardId,
					this.clock))
			.toList();
		for (ShardWindows shardWindows : this.windows) {
			if (!shardWindows.open()) {
				this.checkpointer.windowsHeldAt(0);
			}
		}
		log.info("Took the lease of table {} shard {} for trigger(s) {}, starting after {}", this.table,
				this.shardId, this.triggerIds, checkpoint);
	}

	@Override
	public void processRecords(DynamoDBStreamsProcessRecordsInput input) {
		// A consumer that stops while the read is held goes on below like any stopped one: the read counts as
		// received but not done, so neither it nor the shard's end is checkpointed.
		this.gate.awaitOpen(this.stop);
		this.progress.readStarted();
		releaseHeld();
		List<DynamoDBStreamsClientRecord> records = input.records();
		recordLag(records, input.millisBehindLatest());
		handle(records);
		this.checkpointer.checkpoint(input.checkpointer(), this.pendingBatches);
		reportHeld(false);
		this.progress.readDone(this.clock.millis());
	}

	/**
	 * Delivers what the shard holds for resumed triggers; then, while a paused trigger's held span is full,
	 * waits (delivering as soon as it is resumed) until it is no longer full or the consumer stops.
	 */
	private void releaseHeld() {
		deliverHeld();
		List<String> waitingFor = heldSpanFull();
		if (waitingFor.isEmpty()) {
			return;
		}
		log.warn("Table {} shard {} read as many records past the oldest record held for paused trigger(s) {} as"
				+ " max-held-records allows; it reads no more, for any trigger of the table, until they are resumed",
				this.table, this.shardId, waitingFor);
		reportHeld(true);
		while (!waitingFor.isEmpty() && !this.stop.isStopped()) {
			this.stop.await(PAUSE_CHECK_MILLIS);
			deliverHeld();
			waitingFor = heldSpanFull();
		}
		reportHeld(false);
		log.info("Table {} shard {} reads on", this.table, this.shardId);
	}

	/**
	 * Delivers the held records of the per-record triggers that are not paused, and the pending batches of
	 * the batch triggers that were resumed.
	 */
	private void deliverHeld() {
		String oldest = this.backlog.oldestSequenceNumber();
		if (oldest != null) {
			// The delivery counts as one record in progress: a handler stuck on a held record shows as a stall.
			this.progress.started(oldest, this.clock.millis());
			try {
				this.pipeline.deliverHeld(this.backlog, this.shardId);
			}
			finally {
				this.progress.finished();
			}
		}
		if (!this.stop.isStopped()) {
			deliverDueBatches(false, false);
		}
	}

	/**
	 * Returns the paused triggers for which the shard read as many records past their oldest held record as
	 * they allow.
	 */
	private List<String> heldSpanFull() {
		long received = this.checkpointer.received();
		List<String> full = new ArrayList<>(0);
		List<ActiveTrigger> recordTriggers = this.pipeline.recordTriggers();
		for (int i = 0; i < recordTriggers.size(); i++) {
			if (spanFull(recordTriggers.get(i), this.backlog.of(i).firstHeld(), received)) {
				full.add(recordTriggers.get(i).id());
			}
		}
		for (PendingBatch pending : this.pendingBatches) {
			if (spanFull(pending.trigger(), pending.firstPending(), received)) {
				full.add(pending.trigger().id());
			}
		}
		return full;
	}

	/**
	 * Tells whether the shard read as many records past a paused trigger's oldest held record as it allows.
	 * @param firstHeld the position of the oldest record held for it, {@link Long#MAX_VALUE} for none
	 * @param received how many records the shard received
	 */
	private static boolean spanFull(ActiveTrigger trigger, long firstHeld, long received) {
		return trigger.isPaused() && firstHeld != Long.MAX_VALUE
				&& received - firstHeld >= trigger.pause().maxHeldRecords();
	}

	/**
	 * Tells each trigger what the shard holds for it.
	 * @param waiting whether the shard waits for the paused triggers whose held span is full
	 */
	private void reportHeld(boolean waiting) {
		List<ActiveTrigger> recordTriggers = this.pipeline.recordTriggers();
		long received = this.checkpointer.received();
		for (int i = 0; i < recordTriggers.size(); i++) {
			ActiveTrigger trigger = recordTriggers.get(i);
			trigger.pause().shard(this.shardId, this.backlog.of(i).size(),
					waiting && spanFull(trigger, this.backlog.of(i).firstHeld(), received));
		}
		for (PendingBatch pending : this.pendingBatches) {
			ActiveTrigger trigger = pending.trigger();
			trigger.pause().shard(this.shardId, trigger.isPaused() ? pending.size() : 0,
					waiting && spanFull(trigger, pending.firstPending(), received));
		}
	}

	/**
	 * Delivers one read to the per-record triggers, and to the batch triggers the batches that are due.
	 * @param records the read, in stream order; empty when the read found nothing
	 * @return the sequence number of the last record up to which every record is done for every trigger, or
	 * {@code null} if none of this lease is
	 */
	String handle(List<DynamoDBStreamsClientRecord> records) {
		if (!records.isEmpty()) {
			long start = this.checkpointer.received(records);
			if (!this.pipeline.hasRecordTriggers()) {
				this.checkpointer.readDone();
			}
			else if (this.lanes != null) {
				handleOnLanes(records, start);
			}
			else {
				handleInOrder(records, start);
			}
			this.nextPosition = start + records.size();
			this.lastRead = records.get(records.size() - 1).sequenceNumber();
			if (this.checkpointer.recordsDone()) {
				long now = this.clock.millis();
				for (PendingBatch pending : this.pendingBatches) {
					pending.add(records, start, this.pipeline, now);
				}
				if (!this.windows.isEmpty() && !this.stop.isStopped()) {
					addToWindows(records, start);
				}
			}
		}
		if (!this.stop.isStopped()) {
			deliverDueBatches(false, false);
			if (records.isEmpty()) {
				closeIdleWindows();
			}
		}
		return this.checkpointer.done(this.pendingBatches);
	}

	private void handleInOrder(List<DynamoDBStreamsClientRecord> records, long start) {
		for (int i = 0; i < records.size() && !this.stop.isStopped(); i++) {
			DynamoDBStreamsClientRecord record = records.get(i);
			this.progress.started(record.sequenceNumber(), this.clock.millis());
			boolean done = this.pipeline.deliver(record.getRecord(), this.shardId, start + i, this.backlog);
			this.progress.finished();
			if (!done) {
				return;
			}
			this.checkpointer.recordDone(i);
		}
	}

	private void handleOnLanes(List<DynamoDBStreamsClientRecord> records, long start) {
		// The read counts as one record in progress: a stuck lane holds it, and so shows as a stall.
		this.progress.started(records.get(0).sequenceNumber(), this.clock.millis());
		try {
			this.lanes.handle(records, (record, index) -> !this.stop.isStopped()
					&& this.pipeline.deliver(record.getRecord(), this.shardId, start + index, this.backlog),
					this.checkpointer);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.progress.finished();
		}
	}

	private void addToWindows(List<DynamoDBStreamsClientRecord> records, long start) {
		this.progress.started(records.get(0).sequenceNumber(), this.clock.millis());
		try {
			for (ShardWindows shardWindows : this.windows) {
				shardWindows.add(records, start);
			}
		}
		finally {
			this.progress.finished();
		}
		holdForWindows();
	}

	private void closeIdleWindows() {
		if (this.windows.isEmpty()) {
			return;
		}
		// A final call that keeps failing holds the shard: it shows in progress after the last record read.
		this.progress.started(this.lastRead, this.clock.millis());
		try {
			for (ShardWindows shardWindows : this.windows) {
				shardWindows.closeIfIdle(this.nextPosition);
			}
		}
		finally {
			this.progress.finished();
		}
		holdForWindows();
	}

	private void holdForWindows() {
		long heldAt = Long.MAX_VALUE;
		for (ShardWindows shardWindows : this.windows) {
			heldAt = Math.min(heldAt, shardWindows.heldAt());
		}
		this.checkpointer.windowsHeldAt(heldAt);
	}

	/**
	 * Calls the batch triggers that are not paused with their batches that are due, in trigger order; a
	 * paused trigger's records stay pending.
	 * @param all {@code true} for every pending record, without waiting for the window
	 * @param lastChance {@code true} to call each trigger once though the consumer is stopping
	 */
	private void deliverDueBatches(boolean all, boolean lastChance) {
		boolean delivered = true;
		for (PendingBatch pending : this.pendingBatches) {
			if (pending.trigger().isPaused()) {
				continue;
			}
			List<Record> batch;
			while (delivered && (batch = pending.due(this.clock.millis(), all)) != null) {
				delivered = deliverBatch(pending, batch, lastChance);
				if (delivered) {
					pending.delivered(batch);
				}
			}
			// Not stopped: the trigger was paused before a call of the batch, which waits for it.
			delivered = delivered || !this.stop.isStopped();
		}
	}

	private boolean deliverBatch(PendingBatch pending, List<Record> batch, boolean lastChance) {
		// Only a batch in a call is in progress; one waiting for its window is not, and so is no stall.
		this.progress.started(batch.get(0).dynamodb().sequenceNumber(), this.clock.millis());
		try {
			return this.pipeline.deliverBatch(pending.trigger(), batch, this.shardId, lastChance);
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
		// KCL calls this also on a processor it never initialized: a child shard still waiting for its parent.
		if (this.progress != null && !this.stop.isStopped()) {
			log.info("Lease of table {} shard {} moved to another worker", this.table, this.shardId);
		}
		release();
	}

	/**
	 * Delivers the pending batches (with retries), then checkpoints the end of the shard if every record
	 * received from it is done, and otherwise only what is done. KCL starts the child shards once the parent is
	 * checkpointed at its end, so checkpointing it with a record not done (the consumer stopped in the middle
	 * of the last read or before a batch was delivered) would leave that record unhandled for good.
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
		this.progress.ended(this.clock.millis());
		awaitHeldAtEnd();
		deliverDueBatches(true, false);
		for (ShardWindows shardWindows : this.windows) {
			shardWindows.closeAtShardEnd(this.nextPosition);
		}
		holdForWindows();
		if (!this.checkpointer.everythingDone(this.pendingBatches)) {
			String notDone = this.checkpointer.notDone(this.pendingBatches);
			this.checkpointer.checkpoint(input.checkpointer(), this.pendingBatches);
			log.warn("Table {} shard {} ended, but {} are not done (the consumer stopped before they were): not"
					+ " checkpointing its end, so that its child shards wait and the records are read again from the"
					+ " last checkpoint", this.table, this.shardId, notDone);
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

	/**
	 * At the end of the shard, waits while paused triggers hold records of it (delivering them once they are
	 * resumed) or until the consumer stops: nothing more is to be read from the shard, its child shards wait
	 * for its end to be checkpointed anyway, and the end must not pass a record not delivered.
	 */
	private void awaitHeldAtEnd() {
		deliverHeld();
		List<String> holding = pausedHolding();
		if (holding.isEmpty()) {
			return;
		}
		log.info("Table {} shard {} ended; paused trigger(s) {} hold records of it, so its end is checkpointed"
				+ " (and its child shards start) once they are resumed", this.table, this.shardId, holding);
		while (!holding.isEmpty() && !this.stop.isStopped()) {
			this.stop.await(PAUSE_CHECK_MILLIS);
			deliverHeld();
			holding = pausedHolding();
		}
	}

	private List<String> pausedHolding() {
		List<String> holding = new ArrayList<>(0);
		List<ActiveTrigger> recordTriggers = this.pipeline.recordTriggers();
		for (int i = 0; i < recordTriggers.size(); i++) {
			if (recordTriggers.get(i).isPaused() && !this.backlog.of(i).isEmpty()) {
				holding.add(recordTriggers.get(i).id());
			}
		}
		for (PendingBatch pending : this.pendingBatches) {
			if (pending.trigger().isPaused() && pending.size() > 0) {
				holding.add(pending.trigger().id());
			}
		}
		return holding;
	}

	@Override
	public void shutdownRequested(ShutdownRequestedInput input) {
		// Delivered now, pending records are not read again after a restart, nor, for the per-record triggers,
		// the records after them.
		deliverDueBatches(true, true);
		this.checkpointer.checkpoint(input.checkpointer(), this.pendingBatches);
		release();
	}

	private void release() {
		if (this.progress != null && this.shards.remove(this.shardId, this.progress)) {
			this.pipeline.recordTriggers().forEach((trigger) -> trigger.pause().shardReleased(this.shardId));
			this.pendingBatches.forEach((pending) -> pending.trigger().pause().shardReleased(this.shardId));
			this.meters.close();
			if (this.lanes != null) {
				this.lanes.close();
			}
		}
	}

}
