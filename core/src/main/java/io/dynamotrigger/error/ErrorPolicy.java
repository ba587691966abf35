package io.dynamotrigger.error;

import java.time.Duration;
import java.util.Set;

import io.dynamotrigger.mapping.RecordMappingException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * What happens when a trigger fails on a record: how often and how far apart it is called again, which
 * exceptions are not worth another call, and how old a record may be before it goes to the dead letters
 * without a call. A record the policy gives up on is dead-lettered; it is never skipped.
 *
 * @param backOff the pauses between calls; when it returns {@code STOP} the record is dead-lettered
 * @param nonRetryable exception types (and their subtypes) that dead-letter the record at once
 * @param maxRecordAge records older than this (by their approximate creation time) are dead-lettered
 * without a call; {@code null} for no limit
 * @param bisectBatchOnError for batch triggers: when a batch fails without saying which records failed,
 * split it in halves and deliver each half on its own (recursively), so that a bad record ends up alone
 * and only it is retried and dead-lettered
 */
public record ErrorPolicy(BackOff backOff, Set<Class<? extends Throwable>> nonRetryable, Duration maxRecordAge,
		boolean bisectBatchOnError) {

	/** Calls of a trigger per record by default: the first and four more. */
	public static final int DEFAULT_MAX_ATTEMPTS = 5;

	/**
	 * Creates a policy; the exception types are copied.
	 */
	public ErrorPolicy {
		nonRetryable = Set.copyOf(nonRetryable);
	}

	/**
	 * Creates a policy that does not bisect batches.
	 * @param backOff the pauses between calls
	 * @param nonRetryable exception types that dead-letter the record at once
	 * @param maxRecordAge the maximum record age, or {@code null}
	 */
	public ErrorPolicy(BackOff backOff, Set<Class<? extends Throwable>> nonRetryable, Duration maxRecordAge) {
		this(backOff, nonRetryable, maxRecordAge, false);
	}

	/**
	 * The default policy: 5 calls, 200 ms apart, doubling up to 5 s; mapping errors are not retried; no
	 * age limit.
	 * @return the default policy
	 */
	public static ErrorPolicy defaults() {
		return new ErrorPolicy(exponentialBackOff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(5),
				DEFAULT_MAX_ATTEMPTS), Set.of(RecordMappingException.class), null);
	}

	/**
	 * An exponential back-off that allows {@code maxAttempts} calls in all.
	 * @param initialInterval the pause after the first failure
	 * @param multiplier the growth of each following pause
	 * @param maxInterval the longest pause
	 * @param maxAttempts calls in all, the first included; at least 1
	 * @return the back-off
	 */
	public static BackOff exponentialBackOff(Duration initialInterval, double multiplier, Duration maxInterval,
			int maxAttempts) {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("max-attempts must be at least 1 (the first call), not " + maxAttempts);
		}
		ExponentialBackOff backOff = new ExponentialBackOff(initialInterval.toMillis(), multiplier);
		backOff.setMaxInterval(maxInterval.toMillis());
		backOff.setMaxAttempts(maxAttempts - 1);
		return backOff;
	}

	/**
	 * Tells whether an exception dead-letters the record without another call.
	 * @param exception what the trigger threw
	 * @return whether it is of a non-retryable type
	 */
	public boolean isNonRetryable(Throwable exception) {
		for (Class<? extends Throwable> type : this.nonRetryable) {
			if (type.isInstance(exception)) {
				return true;
			}
		}
		return false;
	}

}
