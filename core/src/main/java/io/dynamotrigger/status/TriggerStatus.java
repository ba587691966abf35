package io.dynamotrigger.status;

import java.util.List;
import java.util.Set;

import io.dynamotrigger.EventType;
import io.dynamotrigger.ViewType;
import io.dynamotrigger.lease.ShardHandOff;
import io.dynamotrigger.lease.Takeover;

/**
 * A trigger as seen at one moment.
 *
 * @param id the trigger's id
 * @param table its table
 * @param viewType the view type it expects
 * @param events the event types that call it
 * @param leaseTable the lease table of its table's consumer
 * @param state what it is doing
 * @param shards the shards this instance holds the leases of; the same for all triggers of a table
 * @param leaseTableProblem why the lease table does not answer (read at most every 5 s while the
 * consumer runs), or {@code null}
 * @param shardHandOff while the consumer runs and holds no shard after a shard of the table ended on this
 * instance: the ended shard and the shards waiting for a worker (the lease table read at most every 5 s);
 * otherwise {@code null}
 * @param takeover while the consumer runs and a lease of its table is held by a worker that stopped renewing it
 * (for longer than the failover time plus KCL's lease assignment interval): those leases and KCL's leader lock
 * (the lease table read at most every 5 s); otherwise {@code null}
 * @param pause while the trigger is paused on this instance, or its shards still hold records for it: what
 * they hold; otherwise {@code null}
 */
public record TriggerStatus(String id, String table, ViewType viewType, Set<EventType> events, String leaseTable,
		TriggerState state, List<ShardStatus> shards, String leaseTableProblem, ShardHandOff shardHandOff,
		Takeover takeover, PauseStatus pause) {
}
