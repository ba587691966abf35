package io.dynamotrigger.backfill;

import java.time.Instant;

/**
 * A trigger's backfill as seen at one moment, for health and the actuator endpoint.
 *
 * @param phase what the backfill does
 * @param scanStartedAt when the scan began (the stream records written before it, less the seam margin, are
 * covered by the scan), or {@code null} before it is noted
 * @param scanEndedAt when the last segment was done, or {@code null}; stream records written between the two
 * times may duplicate a backfill change
 * @param segmentsDone the segments scanned to their end, by any instance
 * @param segments the segments of the scan
 * @param itemsScanned the items this instance read and delivered since it started
 * @param coveredRecords the stream records this instance passed over because the scan covers them
 * @param failure why the backfill failed, or {@code null}
 */
public record BackfillProgress(Phase phase, Instant scanStartedAt, Instant scanEndedAt, int segmentsDone,
		int segments, long itemsScanned, long coveredRecords, String failure) {

	/**
	 * What a backfill does.
	 */
	public enum Phase {

		/** Another instance scans (or the scan's lock is not free yet): the trigger's stream records wait. */
		WAITING,

		/** This instance scans: the trigger's stream records wait. */
		SCANNING,

		/** The scan is done; the stream goes on. */
		DONE,

		/** The backfill did not finish within the stream's retention: the trigger's stream records wait. */
		FAILED

	}

}
