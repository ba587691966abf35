package io.dynamotrigger.status;

import java.time.Instant;

/**
 * Why a shard whose lease this instance holds counts as stalled: it has made no progress of one kind for
 * longer than the stall timeout ({@code dynamo-trigger.health.stall-timeout}). A shard of a table with a
 * paused trigger is never stalled: the pause holds it.
 *
 * @param kind what stopped
 * @param since since when
 */
public record ShardStall(Kind kind, Instant since) {

	/**
	 * What stopped.
	 */
	public enum Kind {

		/**
		 * A record has been in progress for longer than the stall timeout: its handler runs or is retried, or its
		 * dead letter is not yet taken. {@code since}: when the record's call started.
		 */
		RECORD,

		/**
		 * No read has come for longer than the stall timeout: KCL calls the shard's processor with every read,
		 * an empty one too, so its reads are stuck or failing (endpoint errors, iterators expiring in a loop).
		 * {@code since}: when the last read was done.
		 */
		READS,

		/**
		 * The checkpoint has stayed where it is for longer than the stall timeout (plus the longest batch window
		 * of the table's batch triggers, which may hold it that long) while records after it were received: its
		 * writes fail, or records are never done; at the end of the shard, the end has not been checkpointed.
		 * {@code since}: the end of the first read after which it stayed.
		 */
		CHECKPOINT

	}

}
