package io.dynamotrigger.metrics;

/**
 * The meters of one trigger, created once when its consumer starts, so that recording costs no look-up.
 */
public interface TriggerMeters {

	/**
	 * Records one call of the trigger's method.
	 * @param nanos how long it took
	 * @param failure what it threw, or {@code null} when it succeeded
	 */
	void handlerCall(long nanos, Throwable failure);

	/**
	 * Counts what became of a record for the trigger.
	 * @param result the outcome
	 */
	void record(RecordResult result);

}
