/**
 * Internal: what the health reads from a table's lease table: the scan itself, leases nobody renews, the
 * leader lock, takeovers, and the hand-off of a shard that ended to the shards that follow it.
 *
 * <p>Not API: the watches and the scan are public only for the framework's own packages and may change
 * without notice. The records they return ({@link io.dynamotrigger.lease.LeaderLock},
 * {@link io.dynamotrigger.lease.OrphanedLease}, {@link io.dynamotrigger.lease.ShardHandOff},
 * {@link io.dynamotrigger.lease.Takeover}) are part of the read model in {@code io.dynamotrigger.status}.
 */
package io.dynamotrigger.lease;
