package io.dynamotrigger.error;

/**
 * Why a record was dead-lettered.
 */
public enum DeadLetterReason {

	/** The trigger kept failing until the error policy's retries were used up. */
	RETRIES_EXHAUSTED,

	/** The trigger threw an exception of a non-retryable type (by default: the record could not be mapped). */
	NON_RETRYABLE,

	/** The record was older than the policy's maximum record age; the trigger was not called. */
	RECORD_TOO_OLD

}
