package io.dynamotrigger;

import java.time.Instant;

/**
 * Where a trigger call comes from: which trigger, table and shard, which record, and the how-many-th call
 * for it. A trigger method receives it when it declares a {@code TriggerContext} as its last parameter.
 *
 * <p>For a batch method ({@code List<ItemChange<T>>}) the record fields describe the batch's last record.
 *
 * @param triggerId the trigger's id
 * @param table the table whose stream the record came from
 * @param shardId the shard the record was read from; empty when the records were handed in by a caller that
 * does not say (an AWS Lambda event names no shard); {@value #BACKFILL_SHARD} for changes read by a backfill's
 * scan of the table
 * @param sequenceNumber the record's sequence number in its shard; for a backfill's change
 * {@code <scan start in epoch ms>-<segment>-<item number in the segment>}
 * @param attempt the number of this call for the record, 1 for the first; higher when the trigger failed
 * before and its error policy calls it again, or when a dead letter is redriven; always 1 in AWS Lambda, which
 * retries by invoking the function again
 * @param approximateCreationTime when DynamoDB wrote the change, or {@code null} if the record does not say
 */
public record TriggerContext(String triggerId, String table, String shardId, String sequenceNumber, int attempt,
		Instant approximateCreationTime) {

	/** The shard id of the calls with changes read by a backfill's scan of the table. */
	public static final String BACKFILL_SHARD = "backfill";

	/**
	 * Tells whether the call is for changes a backfill read with a scan of the table, not from its stream.
	 * @return {@code true} for a backfill's call
	 */
	public boolean isBackfill() {
		return BACKFILL_SHARD.equals(this.shardId);
	}

}
