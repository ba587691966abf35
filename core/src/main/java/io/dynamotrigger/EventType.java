package io.dynamotrigger;

import software.amazon.awssdk.services.dynamodb.model.OperationType;

/**
 * The kind of item-level change a DynamoDB stream record describes.
 */
public enum EventType {

	/** A new item was added to the table. */
	INSERT,

	/** One or more attributes of an existing item were written. */
	MODIFY,

	/** An item was deleted from the table. */
	REMOVE;

	/**
	 * Returns the event type of a stream record's operation.
	 * @param operation the record's {@code eventName}
	 * @return the matching event type
	 * @throws IllegalArgumentException if the operation is unknown to this version
	 */
	public static EventType of(OperationType operation) {
		return switch (operation) {
			case INSERT -> INSERT;
			case MODIFY -> MODIFY;
			case REMOVE -> REMOVE;
			default -> throw new IllegalArgumentException("Unknown stream operation: " + operation);
		};
	}

}
