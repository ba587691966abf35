package io.dynamotrigger.listener;

import java.util.ArrayList;
import java.util.List;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import io.dynamotrigger.config.BatchSettings;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * The records of one shard that one batch trigger accepted and was not yet called with, in stream order,
 * and how far the shard is done for that trigger. Between reads it holds fewer records than the trigger's
 * batch size: full batches are taken out as soon as they fill.
 */
final class PendingBatch {

	private final ActiveTrigger trigger;

	private final List<Record> records;

	private String done;

	private String lastSeen;

	private long waitingSinceMillis;

	private long lastReadMillis;

	/**
	 * Starts with nothing pending.
	 * @param trigger the batch trigger
	 */
	PendingBatch(ActiveTrigger trigger) {
		this.trigger = trigger;
		this.records = new ArrayList<>(trigger.batching().size());
	}

	ActiveTrigger trigger() {
		return this.trigger;
	}

	/**
	 * Adds the records of a read that the trigger accepts; the others are done for it.
	 * @param read the read, in stream order, following the previous one
	 * @param dispatcher tells which records the trigger accepts
	 * @param nowMillis the time of the read
	 */
	void add(List<DynamoDBStreamsClientRecord> read, RecordDispatcher dispatcher, long nowMillis) {
		for (int i = 0; i < read.size(); i++) {
			Record record = read.get(i).getRecord();
			if (dispatcher.accepts(this.trigger, record)) {
				if (this.records.isEmpty()) {
					this.waitingSinceMillis = nowMillis;
					this.done = (i > 0) ? read.get(i - 1).sequenceNumber() : this.done;
				}
				this.records.add(record);
			}
		}
		this.lastSeen = read.get(read.size() - 1).sequenceNumber();
		this.lastReadMillis = nowMillis;
		if (this.records.isEmpty()) {
			this.done = this.lastSeen;
		}
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
		String last = batch.get(batch.size() - 1).dynamodb().sequenceNumber();
		batch.clear();
		this.done = this.records.isEmpty() ? this.lastSeen : last;
		this.waitingSinceMillis = this.lastReadMillis;
	}

	/**
	 * Returns how far the shard is done for the trigger.
	 * @return the last record before which every record the trigger saw is done for it, or {@code null} if
	 * none is
	 */
	String done() {
		return this.done;
	}

}
