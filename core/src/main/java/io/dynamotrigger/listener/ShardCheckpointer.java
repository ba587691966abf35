package io.dynamotrigger.listener;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.LongSupplier;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.exceptions.KinesisClientLibException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;

/**
 * How far one shard is done for all of its table's triggers, and its checkpoints: the one place that knows
 * the "done" frontier. Every record received from the shard gets a position, counting up from 0 at the
 * lease's start. The frontier is the first position that is not done: for the per-record triggers the
 * records of the current read are marked done in any order (one at a time, or on lanes) and the frontier
 * moves over the done prefix; each batch trigger holds it at its first pending record, a paused per-record
 * trigger at its oldest held record, and the window triggers at the first record their saved windows do not
 * include. A checkpoint goes to
 * the record just before the frontier, never past a record that is not done.
 *
 * <p>Used by the shard's processor thread; {@link #recordDone(int)} may also be called from lanes.
 */
final class ShardCheckpointer {

	private static final Logger log = LoggerFactory.getLogger(ShardCheckpointer.class);

	private final String table;

	private final String shardId;

	private final ShardProgress progress;

	private final LongSupplier firstHeld;

	private final ArrayDeque<Read> reads = new ArrayDeque<>();

	private long received;

	private Read current;

	private boolean[] currentDone;

	private int currentFrontier;

	private long recordsDone;

	private String lastCheckpointed;

	private long checkpointedUpTo;

	private long windowsHeldAt = Long.MAX_VALUE;

	/**
	 * Starts at the lease's checkpoint.
	 * @param table the table, for logs
	 * @param shardId the shard
	 * @param lastCheckpointed the sequence number of the lease's checkpoint
	 * @param progress where the shard's checkpoints are shown
	 * @param firstHeld the position of the oldest record held for a paused per-record trigger,
	 * {@link Long#MAX_VALUE} for none
	 */
	ShardCheckpointer(String table, String shardId, String lastCheckpointed, ShardProgress progress,
			LongSupplier firstHeld) {
		this.table = table;
		this.shardId = shardId;
		this.lastCheckpointed = lastCheckpointed;
		this.progress = progress;
		this.firstHeld = firstHeld;
	}

	/**
	 * Takes the records of a read; they follow the records received before.
	 * @param records the read, in stream order, not empty
	 * @return the position of its first record
	 */
	long received(List<DynamoDBStreamsClientRecord> records) {
		long start = this.received;
		this.current = new Read(start, records);
		this.reads.addLast(this.current);
		this.currentDone = null;
		this.currentFrontier = 0;
		this.received += records.size();
		return start;
	}

	/**
	 * Returns how many records were received from the shard since the lease was taken.
	 * @return the position the next record will have
	 */
	long received() {
		return this.received;
	}

	/**
	 * Marks a record of the current read done (or held) for the per-record triggers.
	 * @param index its index in the read
	 */
	synchronized void recordDone(int index) {
		if (index == this.currentFrontier && this.currentDone == null) {
			this.currentFrontier++;
		}
		else {
			if (this.currentDone == null) {
				this.currentDone = new boolean[this.current.records.size()];
				for (int i = 0; i < this.currentFrontier; i++) {
					this.currentDone[i] = true;
				}
			}
			this.currentDone[index] = true;
			while (this.currentFrontier < this.currentDone.length && this.currentDone[this.currentFrontier]) {
				this.currentFrontier++;
			}
		}
		this.recordsDone = this.current.start + this.currentFrontier;
	}

	/**
	 * Marks every record of the current read done for the per-record triggers (a table with none).
	 */
	synchronized void readDone() {
		this.currentFrontier = this.current.records.size();
		this.recordsDone = this.received;
	}

	/**
	 * Holds the frontier where the window triggers could not save their windows.
	 * @param position the first position their saved windows do not include, {@link Long#MAX_VALUE} for none
	 */
	void windowsHeldAt(long position) {
		this.windowsHeldAt = position;
	}

	/**
	 * Tells whether every record received is done for the per-record triggers.
	 * @return whether the batch triggers may gather the current read
	 */
	synchronized boolean recordsDone() {
		return this.recordsDone == this.received;
	}

	/**
	 * Tells whether every record received from the shard is done for every trigger.
	 * @param batches the shard's pending batches
	 * @return whether the shard's end may be checkpointed
	 */
	boolean everythingDone(List<PendingBatch> batches) {
		return frontier(batches) == this.received;
	}

	/**
	 * Checkpoints the record before the frontier, if the last checkpoint is behind it. A failure is logged;
	 * the next read tries again. Tells the shard's progress whether records after the checkpoint remain.
	 * @param checkpointer the lease's checkpointer
	 * @param batches the shard's pending batches
	 */
	void checkpoint(RecordProcessorCheckpointer checkpointer, List<PendingBatch> batches) {
		write(checkpointer, batches);
		this.progress.recordsAfterCheckpoint(this.checkpointedUpTo < this.received);
	}

	private void write(RecordProcessorCheckpointer checkpointer, List<PendingBatch> batches) {
		long upTo = frontier(batches);
		if (upTo <= this.checkpointedUpTo) {
			return;
		}
		String done = sequenceNumberAt(upTo - 1);
		try {
			checkpointer.checkpoint(done);
		}
		catch (ShutdownException ex) {
			log.info("Not checkpointing table {} shard {}: its lease moved to another worker", this.table,
					this.shardId);
			return;
		}
		catch (KinesisClientLibException | RuntimeException ex) {
			// KCL wraps a failed lease-table write (endpoint unreachable) in a RuntimeException; letting it out of
			// processRecords makes KCL log "Skipping over the following data records" for records already done.
			log.warn("Could not checkpoint table {} shard {} at {}; the next batch tries again", this.table,
					this.shardId, done, ex);
			return;
		}
		this.lastCheckpointed = done;
		this.checkpointedUpTo = upTo;
		this.progress.checkpointed(done);
		while (this.reads.peekFirst() != this.current && this.reads.peekFirst().end() <= upTo) {
			this.reads.removeFirst();
		}
	}

	/**
	 * Returns how far the shard is done for every trigger.
	 * @param batches the shard's pending batches
	 * @return the sequence number of the record before the frontier, or {@code null} if no record of this
	 * lease is done
	 */
	String done(List<PendingBatch> batches) {
		long upTo = frontier(batches);
		if (upTo == 0) {
			return null;
		}
		return (upTo == this.checkpointedUpTo) ? this.lastCheckpointed : sequenceNumberAt(upTo - 1);
	}

	/**
	 * Describes what is received but not done, for logs.
	 * @param batches the shard's pending batches
	 * @return the range after the last done record up to the last received one
	 */
	String notDone(List<PendingBatch> batches) {
		String done = done(batches);
		return "the records after " + ((done != null) ? done : this.lastCheckpointed) + " up to " + sequenceNumberAt(this.received - 1);
	}

	private long frontier(List<PendingBatch> batches) {
		long frontier;
		synchronized (this) {
			frontier = this.recordsDone;
		}
		frontier = Math.min(frontier, this.windowsHeldAt);
		for (PendingBatch batch : batches) {
			frontier = Math.min(frontier, batch.firstPending());
		}
		return Math.min(frontier, this.firstHeld.getAsLong());
	}

	private String sequenceNumberAt(long position) {
		for (Read read : this.reads) {
			if (position < read.end()) {
				return read.records.get((int) (position - read.start)).sequenceNumber();
			}
		}
		throw new IllegalStateException("No record at position " + position + " of table " + this.table + " shard "
				+ this.shardId);
	}

	/**
	 * A read, from the position of its first record on.
	 */
	private record Read(long start, List<DynamoDBStreamsClientRecord> records) {

		long end() {
			return this.start + this.records.size();
		}

	}

}
