package io.dynamotrigger.error;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a trigger's dead letters to the trigger again, typically after its bug was fixed: each dead
 * letter the trigger now handles is deleted; each it fails on again stays, with one more attempt and the
 * new exception. Dead letters are delivered oldest first, one at a time, outside the stream, so they may
 * interleave with records the stream delivers meanwhile. A trigger's dead letters are read from the
 * DynamoDB table it dead-letters to: its own, or the default one.
 */
public final class DeadLetterRedriver {

	private static final Logger log = LoggerFactory.getLogger(DeadLetterRedriver.class);

	private final DeadLetterDestinations deadLetters;

	private final TriggerRedelivery triggers;

	private final Clock clock;

	/**
	 * Creates the redriver.
	 * @param deadLetters where each trigger's dead letters are
	 * @param triggers calls the triggers
	 * @param clock the time of new failures
	 */
	public DeadLetterRedriver(DeadLetterDestinations deadLetters, TriggerRedelivery triggers, Clock clock) {
		this.deadLetters = deadLetters;
		this.triggers = triggers;
		this.clock = clock;
	}

	/**
	 * Redrives all dead letters of a trigger.
	 * @param triggerId the trigger
	 * @return how many were handled and how many failed again
	 * @throws IllegalStateException if the trigger's dead letters are not kept in a DynamoDB table
	 */
	public Result redrive(String triggerId) {
		return redrive(triggerId, Instant.EPOCH, Instant.parse("9999-12-31T23:59:59Z"));
	}

	/**
	 * Redrives the dead letters of a trigger that first failed in a time range.
	 * @param triggerId the trigger
	 * @param from start of the range, inclusive
	 * @param to end of the range, exclusive
	 * @return how many were handled and how many failed again
	 * @throws IllegalStateException if the trigger's dead letters are not kept in a DynamoDB table
	 */
	public Result redrive(String triggerId, Instant from, Instant to) {
		DynamoDbDeadLetterTable table = this.deadLetters.tableOf(triggerId)
			.orElseThrow(() -> new IllegalStateException("Trigger '" + triggerId + "' sends its dead letters to "
					+ this.deadLetters.of(triggerId).getClass().getSimpleName()
					+ ", not to a DynamoDB dead-letter table; redrive reads dead letters from DynamoDB tables only"));
		int handled = 0;
		int failed = 0;
		for (DeadLetterRecord deadLetter : table.list(triggerId, from, to)) {
			try {
				this.triggers.redeliver(deadLetter);
				table.delete(deadLetter);
				handled++;
			}
			catch (UnknownTriggerException ex) {
				throw ex;
			}
			catch (Exception ex) {
				table.handle(failedAgain(deadLetter, ex));
				failed++;
			}
		}
		log.info("Redrove dead letters of trigger '{}': {} handled, {} failed again", triggerId, handled, failed);
		return new Result(handled, failed);
	}

	private DeadLetterRecord failedAgain(DeadLetterRecord deadLetter, Exception exception) {
		DeadLetterRecord.Failure failure = deadLetter.failure();
		return new DeadLetterRecord(deadLetter.source(), deadLetter.change(), DeadLetterRecord.Failure
			.of(failure.reason(), exception, failure.attempts() + 1, failure.firstFailure(), this.clock.instant()));
	}

	/**
	 * What a redrive did.
	 *
	 * @param handled dead letters the trigger handled, now deleted
	 * @param failed dead letters the trigger failed on again, kept
	 */
	public record Result(int handled, int failed) {
	}

}
