package io.dynamotrigger.lease;

import java.time.Instant;
import java.util.List;

/**
 * The hand-off from a shard that ended on this instance to the shards that follow it, as seen while this
 * instance holds no shard of the table. KCL starts a child shard once its parent's end is checkpointed, when
 * a worker takes the child's lease; until then the child's records wait.
 *
 * @param endedShard the shard of the table that ended on this instance last
 * @param endedAt when its end was checkpointed
 * @param waitingShards the shards of the table's stream, by lease key, that are not finished and whose
 * leases no worker holds (the ended shard's children among them, once KCL created their leases); empty when
 * every lease is held or finished
 */
public record ShardHandOff(String endedShard, Instant endedAt, List<String> waitingShards) {
}
