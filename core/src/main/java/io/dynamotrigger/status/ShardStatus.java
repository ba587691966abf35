package io.dynamotrigger.status;

import java.time.Instant;
import java.util.List;

/**
 * A shard whose lease this instance holds, as seen at one moment.
 *
 * @param shardId the shard
 * @param lastCheckpoint the sequence number checkpointed last, or a KCL position such as
 * {@code TRIM_HORIZON} before the first checkpoint
 * @param lagMillis how far behind the newest record the shard's consumer was at its last read
 * @param inFlightSequenceNumber the record being handled now, or {@code null}
 * @param inFlightSince since when that record is being handled (retries included), or {@code null}
 * @param leaseRenewedMillisAgo how long ago this instance last renewed the shard's lease, or {@code null}
 * when it no longer holds a live lease for it (its renewals failed until the lease expired)
 * @param stalls what of the shard has stopped for longer than the stall timeout; empty when nothing has
 */
public record ShardStatus(String shardId, String lastCheckpoint, long lagMillis, String inFlightSequenceNumber,
		Instant inFlightSince, Long leaseRenewedMillisAgo, List<ShardStall> stalls) {

	/**
	 * Creates the status; the stalls are copied.
	 */
	public ShardStatus {
		stalls = List.copyOf(stalls);
	}

}
