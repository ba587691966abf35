package io.dynamotrigger.listener;

import io.dynamotrigger.error.DeadLetterRecord;

/**
 * The last step of the record pipeline: takes the records a trigger's error policy gave up on. A stream
 * consumer offers each to the application's dead-letter handler until it is taken
 * ({@link RetryingDeadLetterPublisher}); a Lambda invocation hands it back to Lambda, whose event source mapping retries it
 * and sends it to its on-failure destination.
 */
@FunctionalInterface
public interface DeadLetterPublisher {

	/**
	 * Publishes a dead letter.
	 * @param deadLetter the record, with where it comes from and why it failed
	 * @return {@code true} when it is dead-lettered, so the record is done; {@code false} when it is not (the
	 * consumer stopped first, or the caller keeps it)
	 */
	boolean publish(DeadLetterRecord deadLetter);

}
