package io.dynamotrigger.listener;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import io.dynamotrigger.config.BatchSettings;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * The records of one shard that one batch trigger accepted and was not yet called with, in stream order.
 * Between reads it holds fewer records than the trigger's batch size: full batches are taken out as soon as
 * they fill. It holds the shard's checkpoint at its first record ({@link #firstPending()}).
 */
final class PendingBatch {

	private final ActiveTrigger trigger;

	private final List<Record> records;

	private long[] positions;

	private long waitingSinceMillis;

	private long lastReadMillis;

	/**
	 * Starts with nothing pending.
	 * @param trigger the batch trigger
	 */
	PendingBatch(ActiveTrigger trigger) {
		this.trigger = trigger;
		this.records = new ArrayList<>(trigger.batching().size());
		this.positions = new long[Math.min(trigger.batching().size(), 1024)];
	}

	ActiveTrigger trigger() {
		return this.trigger;
	}

	/**
	 * Adds the records of a read that the trigger's filter accepts; the others are done for it.
	 * @param read the read, in stream order, following the previous one
	 * @param start the shard position of the read's first record
	 * @param pipeline runs the trigger's filter
	 * @param nowMillis the time of the read
	 */
	void add(List<DynamoDBStreamsClientRecord> read, long start, RecordPipeline pipeline, long nowMillis) {
		for (int i = 0; i < read.size(); i++) {
			Record record = read.get(i).getRecord();
			if (!pipeline.accepts(this.trigger, record)) {
				continue;
			}
			if (this.records.isEmpty()) {
				this.waitingSinceMillis = nowMillis;
			}
			if (this.records.size() == this.positions.length) {
				this.positions = Arrays.copyOf(this.positions, this.positions.length * 2);
			}
			this.positions[this.records.size()] = start + i;
			this.records.add(record);
		}
		this.lastReadMillis = nowMillis;
	}

	/**
	 * Returns the batch the trigger is to be called with now: the first batch-size records if there are
	 * that many, else all of them once the batch window has passed since the first of them was read.
	 * @param nowMillis the time
	 * @param all {@code true} to get the records without waiting for the window
	 * @return the records, in stream order, or {@code null} for none
	 */
	List<Record> due(long nowMillis, boolean all) {
		BatchSettings batching = this.trigger.batching();
		if (this.records.size() >= batching.size()) {
			return this.records.subList(0, batching.size());
		}
		boolean windowPassed = nowMillis - this.waitingSinceMillis >= batching.window().toMillis();
		return (!this.records.isEmpty() && (all || windowPassed)) ? this.records.subList(0, this.records.size())
				: null;
	}

	/**
	 * Takes the records of a batch that is done out. The records left came with the last read (fewer than a
	 * batch waited before it), so they wait from then.
	 * @param batch the batch {@link #due} returned
	 */
	void delivered(List<Record> batch) {
		int left = this.records.size() - batch.size();
		System.arraycopy(this.positions, batch.size(), this.positions, 0, left);
		batch.clear();
		this.waitingSinceMillis = this.lastReadMillis;
	}

	/**
	 * Returns how many records wait for the trigger.
	 * @return the count
	 */
	int size() {
		return this.records.size();
	}

	/**
	 * Returns where the trigger holds the shard's checkpoint.
	 * @return the shard position of the first pending record, {@link Long#MAX_VALUE} for none
	 */
	long firstPending() {
		return this.records.isEmpty() ? Long.MAX_VALUE : this.positions[0];
	}

}
