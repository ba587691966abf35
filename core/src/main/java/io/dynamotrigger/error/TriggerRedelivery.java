package io.dynamotrigger.error;

import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Calls a trigger once for a record outside its stream, as redrive does.
 */
@FunctionalInterface
public interface TriggerRedelivery {

	/**
	 * Calls the trigger's method for the record.
	 * @param triggerId the trigger's id
	 * @param record the stream record
	 * @throws UnknownTriggerException if no trigger has the id
	 * @throws Exception whatever the mapping or the method throws
	 */
	void redeliver(String triggerId, Record record) throws Exception;

}
