package io.dynamotrigger.lease;

import java.time.Instant;

/**
 * A lease that a worker holds in the lease table but has stopped renewing: its lease counter has not
 * changed for longer than the consumer's failover time plus KCL's lease assignment interval (twice the
 * failover time by default, 1 second with fast failover), which leaves a worker the time to notice a lease
 * KCL's leader has just assigned it. Its shard's records wait until KCL's leader assigns the lease to a live
 * worker.
 *
 * @param shardId the lease's shard
 * @param owner the worker the lease table still names as its holder
 * @param notRenewedSince when this instance last saw its lease counter change (or first saw the lease), by
 * this instance's clock
 */
public record OrphanedLease(String shardId, String owner, Instant notRenewedSince) {
}
