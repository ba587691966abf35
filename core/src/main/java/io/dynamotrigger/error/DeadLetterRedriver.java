package io.dynamotrigger.error;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a trigger's dead letters to the trigger again, typically after its bug was fixed: each dead
 * letter the trigger now handles is deleted; each it fails on again stays, with one more attempt and the
 * new exception. Dead letters are delivered oldest first, one at a time, outside the stream, so they may
 * interleave with records the stream delivers meanwhile. A trigger's dead letters are read from where it
 * dead-letters to (its own destination, or the default one): a DynamoDB table, or an SQS queue, where a
 * dead letter that fails again is sent anew and messages of other triggers are left as they were.
 */
public final class DeadLetterRedriver {

	private static final Logger log = LoggerFactory.getLogger(DeadLetterRedriver.class);

	/** How long received queue messages stay hidden from other readers while a redrive runs. */
	private static final Duration QUEUE_HIDDEN_FOR = Duration.ofMinutes(5);

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
	 * @throws IllegalStateException if the trigger's dead letters are kept neither in a DynamoDB table nor in
	 * a queue
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
	 * @throws IllegalStateException if the trigger's dead letters are kept neither in a DynamoDB table nor in
	 * a queue
	 */
	public Result redrive(String triggerId, Instant from, Instant to) {
		DeadLetterHandler destination = this.deadLetters.of(triggerId);
		Result result;
		if (destination instanceof DynamoDbDeadLetterTable table) {
			result = redriveTable(table, triggerId, from, to);
		}
		else if (destination instanceof DeadLetterQueue queue) {
			result = redriveQueue(queue, triggerId, from, to);
		}
		else {
			throw new IllegalStateException("Trigger '" + triggerId + "' sends its dead letters to "
					+ destination.getClass().getSimpleName() + ", which redrive cannot read back; redrive reads"
					+ " DynamoDB dead-letter tables and SQS dead-letter queues");
		}
		log.info("Redrove dead letters of trigger '{}': {} handled, {} failed again", triggerId, result.handled(),
				result.failed());
		return result;
	}

	private Result redriveTable(DynamoDbDeadLetterTable table, String triggerId, Instant from, Instant to) {
		int handled = 0;
		int failed = 0;
		for (DeadLetterRecord deadLetter : table.list(triggerId, from, to)) {
			if (redeliver(table, deadLetter)) {
				table.delete(deadLetter);
				handled++;
			}
			else {
				failed++;
			}
		}
		return new Result(handled, failed);
	}

	/**
	 * Receives until the queue shows no message not received before in this redrive: the trigger's dead
	 * letters in the range are delivered (each once, also when it fails again and is sent anew); every other
	 * message is released at the end.
	 */
	private Result redriveQueue(DeadLetterQueue queue, String triggerId, Instant from, Instant to) {
		Set<String> receivedIds = new HashSet<>();
		Set<String> delivered = new HashSet<>();
		List<DeadLetterQueue.Received> left = new ArrayList<>();
		int handled = 0;
		int failed = 0;
		try {
			List<DeadLetterQueue.Received> messages = queue.receive(QUEUE_HIDDEN_FOR);
			while (addNew(receivedIds, messages)) {
				for (DeadLetterQueue.Received message : messages) {
					DeadLetterRecord deadLetter = message.deadLetter();
					if (deadLetter == null || !deadLetter.source().triggerId().equals(triggerId)
							|| deadLetter.failure().firstFailure().isBefore(from)
							|| !deadLetter.failure().firstFailure().isBefore(to)
							|| !delivered.add(deadLetter.source().shardId() + "#" + deadLetter.source().sequenceNumber())) {
						left.add(message);
						continue;
					}
					if (redeliver(queue, deadLetter)) {
						queue.delete(message);
						handled++;
					}
					else {
						queue.replaced(message);
						failed++;
					}
				}
				messages = queue.receive(QUEUE_HIDDEN_FOR);
			}
			left.addAll(messages);
		}
		finally {
			left.forEach(queue::release);
		}
		return new Result(handled, failed);
	}

	/**
	 * Notes the ids of received messages.
	 * @return whether one of them was not received before in this redrive
	 */
	private static boolean addNew(Set<String> receivedIds, List<DeadLetterQueue.Received> messages) {
		boolean added = false;
		for (DeadLetterQueue.Received message : messages) {
			added |= receivedIds.add(message.messageId());
		}
		return added;
	}

	/**
	 * Delivers a dead letter again; one that fails again goes back to the destination it came from.
	 * @return whether the trigger handled it
	 */
	private boolean redeliver(DeadLetterHandler destination, DeadLetterRecord deadLetter) {
		try {
			this.triggers.redeliver(deadLetter);
			return true;
		}
		catch (UnknownTriggerException ex) {
			throw ex;
		}
		catch (Exception ex) {
			try {
				destination.handle(failedAgain(deadLetter, ex));
			}
			catch (Exception unstored) {
				throw new IllegalStateException("Dead letter of trigger '" + deadLetter.source().triggerId()
						+ "' (shard " + deadLetter.source().shardId() + ", sequence number "
						+ deadLetter.source().sequenceNumber() + ") failed again and could not be stored again", unstored);
			}
			return false;
		}
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
