package io.dynamotrigger.listener;

import java.time.Instant;

import io.dynamotrigger.status.ShardStatus;

/**
 * What one shard's processor is doing, written by the processor's thread and read by health checks and
 * the actuator endpoint.
 */
final class ShardProgress {

	private final String shardId;

	private volatile String lastCheckpoint;

	private volatile long lagMillis;

	private volatile String inFlightSequenceNumber;

	private volatile long inFlightSinceMillis;

	ShardProgress(String shardId, String lastCheckpoint) {
		this.shardId = shardId;
		this.lastCheckpoint = lastCheckpoint;
	}

	void started(String sequenceNumber, long nowMillis) {
		this.inFlightSinceMillis = nowMillis;
		this.inFlightSequenceNumber = sequenceNumber;
	}

	void finished() {
		this.inFlightSequenceNumber = null;
	}

	void checkpointed(String sequenceNumber) {
		this.lastCheckpoint = sequenceNumber;
	}

	void lag(long millis) {
		this.lagMillis = millis;
	}

	ShardStatus status(Long leaseRenewedMillisAgo) {
		String inFlight = this.inFlightSequenceNumber;
		return new ShardStatus(this.shardId, this.lastCheckpoint, this.lagMillis, inFlight,
				(inFlight != null) ? Instant.ofEpochMilli(this.inFlightSinceMillis) : null, leaseRenewedMillisAgo);
	}

	String shardId() {
		return this.shardId;
	}

}
