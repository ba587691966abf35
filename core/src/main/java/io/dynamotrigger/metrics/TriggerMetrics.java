package io.dynamotrigger.metrics;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

import io.dynamotrigger.status.ShardStall;

/**
 * Creates the meters of triggers and shards. The starter binds it to Micrometer when a
 * {@code MeterRegistry} exists ({@link MicrometerTriggerMetrics}); otherwise nothing is recorded.
 */
public interface TriggerMetrics {

	/** Records nothing. */
	TriggerMetrics NONE = new TriggerMetrics() {

		private final TriggerMeters trigger = new TriggerMeters() {

			@Override
			public void handlerCall(long nanos, Throwable failure) {
			}

			@Override
			public void record(RecordResult result) {
			}

		};

		private final ShardMeters shard = new ShardMeters() {

			@Override
			public void lag(long millis) {
			}

			@Override
			public void close() {
			}

		};

		@Override
		public TriggerMeters trigger(String triggerId, String table) {
			return this.trigger;
		}

		@Override
		public ShardMeters shard(String table, String shardId) {
			return this.shard;
		}

		@Override
		public void trimmed(String table) {
		}

		@Override
		public void read(String table, ReadResult result) {
		}

	};

	/**
	 * Creates the meters of a trigger.
	 * @param triggerId the trigger's id
	 * @param table its table
	 * @return the meters
	 */
	TriggerMeters trigger(String triggerId, String table);

	/**
	 * Creates the meters of a shard whose lease this instance took; they count towards the table's owned
	 * leases until closed.
	 * @param table the table
	 * @param shardId the shard
	 * @return the meters
	 */
	ShardMeters shard(String table, String shardId);

	/**
	 * Counts a shard whose records were trimmed from the stream (older than 24 hours) before they were read.
	 * @param table the table
	 */
	void trimmed(String table);

	/**
	 * Reports the stalled shards of a table (see {@link ShardStall}): whenever they are read, the meters ask how
	 * many shards of the table this instance holds are stalled in each way. A later call for the same table (its
	 * consumer started again) replaces the count. Does nothing unless implemented.
	 * @param table the table
	 * @param stalledShards how many of the table's shards are stalled now, by kind of stall
	 */
	default void stalledShards(String table, ToIntFunction<ShardStall.Kind> stalledShards) {
	}

	/**
	 * Reports what the shards of this instance hold for a trigger paused on it: whenever they are read, the
	 * meters ask. A later call for the same trigger (its consumer started again) replaces the suppliers. Does
	 * nothing unless implemented.
	 * @param triggerId the trigger
	 * @param table its table
	 * @param heldRecords how many of its records the shards hold
	 * @param waitingShards how many shards read no more until it is resumed (their held span is full)
	 */
	default void held(String triggerId, String table, LongSupplier heldRecords, IntSupplier waitingShards) {
	}

	/**
	 * Counts one GetRecords call of a shard's reader.
	 * @param table the table
	 * @param result what the call returned
	 */
	void read(String table, ReadResult result);

}
