package io.dynamotrigger.kcl.polling;

import java.util.List;

import io.dynamotrigger.config.PollingSettings;

/**
 * What the triggers' consumers spend on GetRecords calls, per shard: the cost side of polling, for
 * metrics and for tuning the {@linkplain PollingSettings polling settings}.
 */
public interface PollingStats {

	/**
	 * Returns the shards this instance reads now. Each element is a live view whose counts keep growing
	 * while its reader runs; a shard's reader that stops (lease lost, shard ended, consumer stopped) leaves
	 * the list, and a shard read again later starts from zero.
	 * @return the shards being read, in no particular order
	 */
	List<ShardReads> shards();

	/**
	 * The GetRecords calls of one shard's reader since it started. Safe to read from any thread.
	 */
	interface ShardReads {

		/**
		 * Returns the table whose stream the shard belongs to.
		 * @return the table name
		 */
		String table();

		/**
		 * Returns the shard's id.
		 * @return the shard id
		 */
		String shardId();

		/**
		 * Returns the GetRecords calls made, whatever their outcome.
		 * @return the number of calls
		 */
		long calls();

		/**
		 * Returns the calls that succeeded without records.
		 * @return the number of empty reads
		 */
		long emptyReads();

		/**
		 * Returns the calls that were throttled.
		 * @return the number of throttled reads
		 */
		long throttledReads();

		/**
		 * Returns the calls that failed for any reason, throttling included.
		 * @return the number of failed reads
		 */
		long failedReads();

		/**
		 * Returns the share of calls that came back empty: near 1 at rest, near 0 while records flow.
		 * @return empty reads divided by calls, or 0 before the first call
		 */
		default double emptyReadRatio() {
			long calls = calls();
			return (calls != 0) ? (double) emptyReads() / calls : 0;
		}

	}

}
