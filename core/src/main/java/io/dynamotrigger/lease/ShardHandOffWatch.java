package io.dynamotrigger.lease;

import java.util.List;

import io.dynamotrigger.lease.LastShardEnd.ShardEnd;
import io.dynamotrigger.lease.LeaseTableScan.Lease;
import io.dynamotrigger.lease.LeaseTableScan.Leases;

/**
 * Tells, for one table consumer that holds no shard after a shard of its table ended on this instance, which
 * shards of the stream wait for a worker: leases that are not at {@code SHARD_END} and that no worker holds.
 * When the parent ends, KCL creates the leases of its child shards without an owner, and KCL's leader
 * assigns them to workers; while nobody takes them, the records of the children wait.
 *
 * <p>Reads the lease table (through the consumer's {@link LeaseTableScan}, at most every 5 seconds) only while
 * its consumer is idle after a shard end. Forgets the end once the ended shard's children all have an owner or
 * are finished.
 */
public final class ShardHandOffWatch {

	private final LeaseTableScan leaseTable;

	/**
	 * Creates the watch.
	 * @param leaseTable the scan of the table's lease table
	 */
	public ShardHandOffWatch(LeaseTableScan leaseTable) {
		this.leaseTable = leaseTable;
	}

	/**
	 * Returns the hand-off after the consumer's last shard end.
	 * @param lastEnd the consumer's last shard end
	 * @param holdsShards whether the consumer holds a shard now
	 * @return the ended shard and the shards waiting for a worker; {@code null} when no shard ended since the
	 * consumer last took one, when it holds a shard, when the ended shard's children have all been taken, or
	 * when the lease table could not be read ({@link LeaseTableScan#problem()} tells why)
	 */
	public ShardHandOff handOff(LastShardEnd lastEnd, boolean holdsShards) {
		ShardEnd end = lastEnd.get();
		if (end == null || holdsShards) {
			return null;
		}
		Leases read = this.leaseTable.leases();
		if (read == null) {
			return null;
		}
		List<Lease> leases = read.leases();
		List<Lease> children = leases.stream().filter((lease) -> lease.parents().contains(end.shardId())).toList();
		if (!children.isEmpty() && children.stream().noneMatch(Lease::isWaiting)) {
			lastEnd.handedOff(end);
			return null;
		}
		return new ShardHandOff(end.shardId(), end.endedAt(),
				leases.stream().filter(Lease::isWaiting).map(Lease::key).sorted().toList());
	}

}
