package io.dynamotrigger.error;

import java.util.List;

/**
 * Thrown when an id names no trigger of the application.
 */
public class UnknownTriggerException extends IllegalArgumentException {

	/**
	 * Creates the exception.
	 * @param triggerId the unknown id
	 * @param knownIds the ids of the application's triggers
	 */
	public UnknownTriggerException(String triggerId, List<String> knownIds) {
		super("No @DynamoTrigger has the id '" + triggerId + "'; the triggers are " + knownIds);
	}

}
