package io.dynamotrigger.metrics;

/**
 * What became of a record for one trigger, as counted by {@code dynamo.trigger.records}.
 */
public enum RecordResult {

	/** The trigger handled the record. */
	HANDLED,

	/** The trigger's filters passed the record over without a call. */
	FILTERED,

	/** The trigger failed and is called again. Counted once per further call for each record of the call. */
	RETRIED,

	/** The trigger gave up on the record and it went to the dead letters. */
	DEAD_LETTERED,

	/** The record was older than the maximum record age and went to the dead letters without a call. */
	EXPIRED

}
