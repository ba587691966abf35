package io.dynamotrigger.error;

import java.time.Duration;
import java.util.List;

/**
 * A queue of dead letters that redrive reads from: receive some, then delete each one handled and release
 * each one left for later. Kept free of SQS types so that redrive does not load the SQS SDK when a trigger's
 * dead letters are kept elsewhere.
 */
public interface DeadLetterQueue extends DeadLetterHandler {

	/**
	 * Receives some of the queue's messages and hides them from other readers for a while.
	 * @param hiddenFor how long the received messages stay hidden unless deleted or released
	 * @return the messages received; empty when none is visible
	 */
	List<Received> receive(Duration hiddenFor);

	/**
	 * Deletes the message of a dead letter that was handled, with whatever the queue keeps for it elsewhere.
	 * @param received the message
	 */
	void delete(Received received);

	/**
	 * Deletes the message of a dead letter that was sent anew (it failed again), keeping what the new message
	 * refers to.
	 * @param received the message
	 */
	void replaced(Received received);

	/**
	 * Makes a received message visible again at once.
	 * @param received the message
	 */
	void release(Received received);

	/**
	 * A message received from the queue.
	 *
	 * @param messageId the message's id
	 * @param receiptHandle what deletes or releases this receipt of the message
	 * @param deadLetter the dead letter the message holds, or {@code null} if it holds none
	 */
	record Received(String messageId, String receiptHandle, DeadLetterRecord deadLetter) {
	}

}
