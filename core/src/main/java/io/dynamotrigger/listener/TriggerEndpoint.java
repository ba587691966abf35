package io.dynamotrigger.listener;

import java.util.Set;

import io.dynamotrigger.EventType;
import io.dynamotrigger.ViewType;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * One {@code @DynamoTrigger} method as the application declared it, with placeholders resolved.
 *
 * @param id the trigger's unique id
 * @param table the table whose stream calls the method
 * @param viewType the stream view type the method expects
 * @param events the event types that call the method
 * @param invoker calls the method
 */
record TriggerEndpoint(String id, String table, ViewType viewType, Set<EventType> events, HandlerInvoker invoker) {

	TriggerEndpoint {
		events = Set.copyOf(events);
	}

	/**
	 * Tells whether a record is for this trigger.
	 * @param eventType the record's event type
	 * @return whether the method is called for it
	 */
	boolean accepts(EventType eventType) {
		return this.events.contains(eventType);
	}

	/**
	 * Calls the method for a record.
	 * @param record the stream record
	 * @throws Throwable whatever the mapping or the method throws
	 */
	void handle(Record record) throws Throwable {
		this.invoker.invoke(record);
	}

}
