package io.dynamotrigger.pause;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.dynamotrigger.status.PauseStatus;

/**
 * Whether one trigger is paused on this instance, and what its shards hold for it. Pause state lives in this
 * JVM only: another instance, or this one after a restart, runs the trigger unpaused.
 *
 * <p>While paused, the shards go on reading for the table's other triggers and hold the records the trigger
 * accepts; a shard waits only once it has read {@link #maxHeldRecords()} records past the trigger's oldest
 * held record (its records stay in memory until the checkpoint passes them). The shards report what they
 * hold after each read.
 */
public final class TriggerPause {

	/** How many records a shard reads past a paused trigger's oldest held record, unless set. */
	public static final int DEFAULT_MAX_HELD_RECORDS = 10_000;

	private final int maxHeldRecords;

	private final Map<String, ShardHold> shards = new ConcurrentHashMap<>();

	private volatile boolean paused;

	/**
	 * Starts unpaused.
	 * @param maxHeldRecords how many records a shard reads past the trigger's oldest held record before it
	 * waits for the trigger; at least 1
	 */
	public TriggerPause(int maxHeldRecords) {
		if (maxHeldRecords < 1) {
			throw new IllegalArgumentException("max-held-records must be at least 1, not " + maxHeldRecords);
		}
		this.maxHeldRecords = maxHeldRecords;
	}

	/**
	 * Tells whether the trigger is paused.
	 * @return whether {@link #pause()} was called after the last {@link #resume()}
	 */
	public boolean isPaused() {
		return this.paused;
	}

	/**
	 * Pauses the trigger: the call in progress finishes (a retry waiting for its back-off does not happen),
	 * then the shards hold its records.
	 */
	public void pause() {
		this.paused = true;
	}

	/**
	 * Resumes the trigger: each shard delivers what it holds, in stream order, before its next read.
	 */
	public void resume() {
		this.paused = false;
	}

	/**
	 * Returns the bound of a shard's held span.
	 * @return how many records a shard reads past the oldest held record before it waits
	 */
	public int maxHeldRecords() {
		return this.maxHeldRecords;
	}

	/**
	 * A shard tells what it holds for the trigger.
	 * @param shardId the shard
	 * @param heldRecords how many of the trigger's records it holds
	 * @param waiting whether it waits for the trigger, its held span full
	 */
	public void shard(String shardId, int heldRecords, boolean waiting) {
		if (heldRecords == 0 && !waiting) {
			this.shards.remove(shardId);
		}
		else {
			this.shards.put(shardId, new ShardHold(heldRecords, waiting));
		}
	}

	/**
	 * A shard lost its lease, ended or stopped: what it held is dropped here (the next reader reads it again
	 * from the checkpoint).
	 * @param shardId the shard
	 */
	public void shardReleased(String shardId) {
		this.shards.remove(shardId);
	}

	/**
	 * Returns how many records the shards of this instance hold for the trigger.
	 * @return the records, as of each shard's last read
	 */
	public long heldRecords() {
		return this.shards.values().stream().mapToLong(ShardHold::heldRecords).sum();
	}

	/**
	 * Returns how many shards wait for the trigger.
	 * @return the shards whose held span is full
	 */
	public int waitingShards() {
		return (int) this.shards.values().stream().filter(ShardHold::waiting).count();
	}

	/**
	 * Returns what an operator sees of the pause.
	 * @return the pause's status, or {@code null} while the trigger is not paused and nothing is held for it
	 */
	public PauseStatus status() {
		if (!this.paused && this.shards.isEmpty()) {
			return null;
		}
		return new PauseStatus(this.paused, heldRecords(), waitingShards(), this.maxHeldRecords);
	}

	private record ShardHold(int heldRecords, boolean waiting) {
	}

}
