package io.dynamotrigger.status;

/**
 * What a trigger is doing.
 */
public enum TriggerState {

	/** Its consumer is readying the lease table and taking leases. */
	STARTING,

	/** Its consumer reads the stream and calls the trigger. */
	RUNNING,

	/**
	 * Its consumer runs but the trigger is paused on this instance: the shards hold its records (see
	 * {@link PauseStatus}) while the table's other triggers go on, until it is resumed.
	 */
	PAUSED,

	/** Its consumer is not running. */
	STOPPED,

	/** Its consumer stopped by itself after an error it could not recover from; see the log. */
	FAILED

}
