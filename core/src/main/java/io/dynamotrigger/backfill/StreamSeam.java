package io.dynamotrigger.backfill;

import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Where a trigger's stream meets its backfill: the trigger's stream records wait until the backfill's scan is
 * done, then those written before the scan began are covered by it and passed over.
 */
public interface StreamSeam {

	/**
	 * Tells whether the scan is done, so that the trigger's stream records may go on.
	 * @return {@code true} once the backfill is done
	 */
	boolean isScanned();

	/**
	 * Tells whether the scan covers a stream record: it was written before the scan began (less the seam
	 * margin), so the scan read the item as it was after the change. A covered record is counted and logged.
	 * Called only once {@link #isScanned()}.
	 * @param record a stream record of the trigger's table
	 * @return {@code true} if the trigger does not get the record
	 */
	boolean covers(Record record);

}
