package io.dynamotrigger.backfill;

/**
 * A backfill's state item, as read.
 *
 * @param status {@code SCANNING}, {@code DONE} or {@code FAILED}
 * @param scanStartedAt when the scan began, in epoch milliseconds; also tells one backfill of a trigger from
 * the next
 * @param scanEndedAt when the scan ended, in epoch milliseconds, or {@code null}
 * @param segments how many segments the scan has
 * @param failure why it failed, or {@code null}
 */
record BackfillState(String status, long scanStartedAt, Long scanEndedAt, int segments, String failure) {

	static final String SCANNING = "SCANNING";

	static final String DONE = "DONE";

	static final String FAILED = "FAILED";

}
