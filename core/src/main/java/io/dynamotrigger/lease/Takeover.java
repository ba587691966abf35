package io.dynamotrigger.lease;

import java.util.List;

/**
 * The takeover of leases whose holder stopped renewing them (a worker that died without giving them up):
 * KCL's leader assigns such a lease to a live worker once it has gone unrenewed for the failover time, and
 * only once the leader lock has a live holder.
 *
 * @param orphanedLeases the leases waiting for the takeover, by shard id
 * @param leaderLock the leader lock, or {@code null} when it could not be read
 */
public record Takeover(List<OrphanedLease> orphanedLeases, LeaderLock leaderLock) {
}
