package io.dynamotrigger.listener;

import java.util.List;

import io.dynamotrigger.lease.LastShardEnd;
import io.dynamotrigger.status.ShardStatus;
import io.dynamotrigger.status.TriggerState;

/**
 * Reads one table's stream for all of the table's triggers: with a KCL application of its own
 * ({@link DedicatedTableConsumer}) or as its part of the shared one ({@link SharedTableConsumer}).
 */
interface TableConsumer {

	String table();

	List<ActiveTrigger> triggers();

	String leaseTable();

	/**
	 * Returns the record path of the table's triggers, which a backfill's changes take too.
	 */
	RecordPipeline pipeline();

	/**
	 * Starts reading; slow steps happen on a thread of the consumer's, not the caller's.
	 */
	void start();

	/**
	 * Stops reading gracefully; records in progress finish.
	 */
	void stop();

	TriggerState state();

	/**
	 * Returns the last shard whose end this consumer checkpointed, if it took no shard since.
	 */
	LastShardEnd lastShardEnd();

	/**
	 * Returns the shards this consumer processes, with the age of their lease renewals.
	 */
	List<ShardStatus> shards();

}
