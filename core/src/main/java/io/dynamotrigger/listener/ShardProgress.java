package io.dynamotrigger.listener;

import java.time.Instant;
import java.util.List;

import io.dynamotrigger.status.ShardStall;
import io.dynamotrigger.status.ShardStatus;

/**
 * What one shard's processor is doing, written by the processor's thread and read by health checks, the
 * actuator endpoint and the stalled-shards gauge. Times are taken per read and per record in progress,
 * never per record done.
 */
final class ShardProgress {

	/** No time: nothing is in progress, awaited or behind. */
	static final long NONE = Long.MIN_VALUE;

	private final String shardId;

	private volatile String lastCheckpoint;

	private volatile long lagMillis;

	private volatile String inFlightSequenceNumber;

	private volatile long inFlightSinceMillis;

	private volatile long readAwaitedSinceMillis;

	private volatile long checkpointBehindSinceMillis = NONE;

	// Written and read only in KCL's calls of the processor, which come one at a time.
	private boolean recordsAfterCheckpoint;

	private boolean checkpointMoved;

	private boolean ended;

	/**
	 * Starts a shard whose lease was just taken: it awaits its first read.
	 * @param shardId the shard
	 * @param lastCheckpoint the lease's checkpoint
	 * @param leaseTakenMillis when the lease was taken
	 */
	ShardProgress(String shardId, String lastCheckpoint, long leaseTakenMillis) {
		this.shardId = shardId;
		this.lastCheckpoint = lastCheckpoint;
		this.readAwaitedSinceMillis = leaseTakenMillis;
	}

	void started(String sequenceNumber, long nowMillis) {
		this.inFlightSinceMillis = nowMillis;
		this.inFlightSequenceNumber = sequenceNumber;
	}

	void finished() {
		this.inFlightSequenceNumber = null;
	}

	/**
	 * KCL called the processor with a read: until it is done no read is awaited.
	 */
	void readStarted() {
		this.readAwaitedSinceMillis = NONE;
	}

	/**
	 * The processor is done with a read (and tried to checkpoint): the next read is awaited from now on, and
	 * the checkpoint counts as behind from now on if it stayed where it was with records after it.
	 * @param nowMillis the time
	 */
	void readDone(long nowMillis) {
		if (!this.recordsAfterCheckpoint) {
			this.checkpointBehindSinceMillis = NONE;
		}
		else if (this.checkpointMoved || this.checkpointBehindSinceMillis == NONE) {
			this.checkpointBehindSinceMillis = nowMillis;
		}
		this.checkpointMoved = false;
		this.readAwaitedSinceMillis = nowMillis;
	}

	/**
	 * The shard's end was reached: no read is awaited any more, and its end waits to be checkpointed.
	 * @param nowMillis the time
	 */
	void ended(long nowMillis) {
		if (!this.ended) {
			this.ended = true;
			this.readAwaitedSinceMillis = NONE;
			this.checkpointBehindSinceMillis = nowMillis;
		}
	}

	void checkpointed(String sequenceNumber) {
		this.lastCheckpoint = sequenceNumber;
		this.checkpointMoved = true;
	}

	/**
	 * Tells, after a checkpoint was tried, whether records were received after the last checkpoint.
	 * @param any whether there are such records
	 */
	void recordsAfterCheckpoint(boolean any) {
		this.recordsAfterCheckpoint = any;
	}

	void lag(long millis) {
		this.lagMillis = millis;
	}

	ShardStatus status(Long leaseRenewedMillisAgo, StallRules rules, long nowMillis) {
		String inFlight = this.inFlightSequenceNumber;
		long inFlightSince = this.inFlightSinceMillis;
		return new ShardStatus(this.shardId, this.lastCheckpoint, this.lagMillis, inFlight,
				(inFlight != null) ? Instant.ofEpochMilli(inFlightSince) : null, leaseRenewedMillisAgo,
				stalls(inFlight, inFlightSince, rules, nowMillis));
	}

	List<ShardStall> stalls(StallRules rules, long nowMillis) {
		String inFlight = this.inFlightSequenceNumber;
		return stalls(inFlight, this.inFlightSinceMillis, rules, nowMillis);
	}

	private List<ShardStall> stalls(String inFlight, long inFlightSince, StallRules rules, long nowMillis) {
		return rules.stalls((inFlight != null) ? inFlightSince : NONE, this.readAwaitedSinceMillis,
				this.checkpointBehindSinceMillis, nowMillis);
	}

	String shardId() {
		return this.shardId;
	}

}
