package io.dynamotrigger.pause;

import java.util.Map;
import java.util.TreeMap;

import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * The records of one shard that one per-record trigger accepted while it was paused (or while older ones
 * still waited for it), by shard position: delivered to it in stream order once it is resumed. Lanes add
 * records from several threads, not necessarily in stream order; the positions keep the order.
 */
public final class HeldRecords {

	private final TreeMap<Long, Record> byPosition = new TreeMap<>();

	// Read on the record path of every trigger that is not paused, without taking the lock.
	private volatile int size;

	/**
	 * Tells whether a record of the trigger is held: while one is, the trigger's next records are held too,
	 * so that it gets them in order.
	 * @return whether none is held
	 */
	public boolean isEmpty() {
		return this.size == 0;
	}

	/**
	 * Holds a record for the trigger.
	 * @param position the record's shard position
	 * @param record the record
	 */
	public synchronized void hold(long position, Record record) {
		this.byPosition.put(position, record);
		this.size = this.byPosition.size();
	}

	/**
	 * Returns the oldest held record.
	 * @return its position and the record, or {@code null} if none is held
	 */
	public Map.Entry<Long, Record> oldest() {
		if (this.size == 0) {
			return null;
		}
		synchronized (this) {
			return this.byPosition.firstEntry();
		}
	}

	/**
	 * Lets go of a record delivered to the trigger.
	 * @param position the record's shard position
	 */
	public synchronized void delivered(long position) {
		this.byPosition.remove(position);
		this.size = this.byPosition.size();
	}

	/**
	 * Returns where the trigger holds the shard's checkpoint.
	 * @return the position of the oldest held record, {@link Long#MAX_VALUE} for none
	 */
	public long firstHeld() {
		if (this.size == 0) {
			return Long.MAX_VALUE;
		}
		synchronized (this) {
			return this.byPosition.isEmpty() ? Long.MAX_VALUE : this.byPosition.firstKey();
		}
	}

	/**
	 * Returns how many records are held.
	 * @return the count
	 */
	public int size() {
		return this.size;
	}

}
