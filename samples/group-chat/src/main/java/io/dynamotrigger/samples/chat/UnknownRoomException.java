package io.dynamotrigger.samples.chat;

/**
 * A message was written to a room that has no members. No retry changes that, so the application lists
 * this type in {@code dynamo-trigger.non-retryable-exceptions}: the message is dead-lettered after one call.
 */
public class UnknownRoomException extends RuntimeException {

	UnknownRoomException(String roomId) {
		super("Room '" + roomId + "' has no members");
	}

}
