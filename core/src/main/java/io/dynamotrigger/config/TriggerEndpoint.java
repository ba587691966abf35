package io.dynamotrigger.config;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.dynamotrigger.EventType;
import io.dynamotrigger.ViewType;
import io.dynamotrigger.idempotency.IdempotencyDeclaration;
import io.dynamotrigger.listener.HandlerInvoker;
import io.dynamotrigger.window.WindowFunction;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * One {@code @DynamoTrigger} method as the application declared it, with placeholders resolved.
 *
 * @param id the trigger's unique id
 * @param table the table whose stream calls the method
 * @param viewType the stream view type the method needs; the table's stream carries at least that
 * @param events the event types that call the method
 * @param contentFilter what a record of one of those event types must match to call the method
 * ({@code changed} and {@code filter} patterns), on the raw record
 * @param batching how the records of a batch method are grouped into calls, as the annotation declares it
 * @param invoker calls the method; {@code null} for a window method
 * @param window calls a tumbling-window method ({@code @DynamoTrigger(window = ...)}); {@code null} for others
 * @param backfill whether the annotation asks for a backfill (the table's items first, then the stream)
 * @param idempotency what the annotation says about idempotency
 */
public record TriggerEndpoint(String id, String table, ViewType viewType, Set<EventType> events,
		Predicate<Record> contentFilter, BatchSettings batching, HandlerInvoker invoker, WindowFunction window,
		boolean backfill, IdempotencyDeclaration idempotency) {

	/**
	 * Creates an endpoint; the events are copied.
	 */
	public TriggerEndpoint {
		events = Set.copyOf(events);
	}

	/**
	 * Creates the endpoint of a method that is not a window method, asks for no backfill and whose annotation
	 * says nothing about idempotency.
	 */
	public TriggerEndpoint(String id, String table, ViewType viewType, Set<EventType> events,
			Predicate<Record> contentFilter, BatchSettings batching, HandlerInvoker invoker) {
		this(id, table, viewType, events, contentFilter, batching, invoker, null, false, IdempotencyDeclaration.NONE);
	}

	/**
	 * Creates the endpoint of a window method.
	 */
	public TriggerEndpoint(String id, String table, ViewType viewType, Set<EventType> events,
			Predicate<Record> contentFilter, BatchSettings batching, HandlerInvoker invoker, WindowFunction window) {
		this(id, table, viewType, events, contentFilter, batching, invoker, window, false, IdempotencyDeclaration.NONE);
	}

	/**
	 * Creates the endpoint of a method that is not a window method and whose annotation says nothing about
	 * idempotency.
	 */
	public TriggerEndpoint(String id, String table, ViewType viewType, Set<EventType> events,
			Predicate<Record> contentFilter, BatchSettings batching, HandlerInvoker invoker, boolean backfill) {
		this(id, table, viewType, events, contentFilter, batching, invoker, null, backfill,
				IdempotencyDeclaration.NONE);
	}

	/**
	 * Creates the endpoint of a method that is not a window method and asks for no backfill.
	 */
	public TriggerEndpoint(String id, String table, ViewType viewType, Set<EventType> events,
			Predicate<Record> contentFilter, BatchSettings batching, HandlerInvoker invoker,
			IdempotencyDeclaration idempotency) {
		this(id, table, viewType, events, contentFilter, batching, invoker, null, false, idempotency);
	}

	/**
	 * Creates an endpoint without content filters, with the default batching.
	 */
	public TriggerEndpoint(String id, String table, ViewType viewType, Set<EventType> events, HandlerInvoker invoker) {
		this(id, table, viewType, events, (record) -> true, BatchSettings.DEFAULTS, invoker);
	}

	/**
	 * Tells whether a record is for this trigger, from the raw record, before anything is mapped.
	 * @param record the stream record
	 * @return whether the method is called for it
	 * @throws IllegalArgumentException if the record's event type is unknown to this version
	 */
	public boolean accepts(Record record) {
		return this.events.contains(EventType.of(record.eventName())) && this.contentFilter.test(record);
	}

	/**
	 * Tells whether the method takes a batch of records.
	 * @return whether it is a batch method
	 */
	public boolean isBatch() {
		return this.invoker != null && this.invoker.isBatch();
	}

	/**
	 * Tells whether the method is a tumbling-window method.
	 * @return whether it has a {@link #window()}
	 */
	public boolean isWindow() {
		return this.window != null;
	}

	/**
	 * Returns the method's class and name, for messages.
	 * @return {@code ClassName.methodName}
	 */
	public String methodName() {
		return (this.window != null) ? this.window.methodName() : this.invoker.methodName();
	}

	/**
	 * Checks that the table's stream writes records that carry at least what this trigger's view type
	 * needs ({@link ViewType#carriesAllOf}).
	 * @param table the trigger's table
	 * @param streamViewType the view type the table's stream writes, as DynamoDB names it
	 * @throws IllegalStateException naming both view types and what to change
	 */
	public void checkStreamViewType(String table, String streamViewType) {
		ViewType written = viewTypeNamed(streamViewType);
		if (written == null || !written.carriesAllOf(this.viewType)) {
			throw new IllegalStateException("Table '" + table + "' has a stream of view type " + streamViewType
					+ " but @DynamoTrigger '" + this.id + "' declares viewType = " + this.viewType.name()
					+ ", which needs more than the stream carries. Give the table a stream that carries at least "
					+ this.viewType.name() + (this.viewType == ViewType.NEW_AND_OLD_IMAGES ? ""
							: " (view type " + this.viewType.name() + " or NEW_AND_OLD_IMAGES)")
					+ ((written != null) ? ", or declare a viewType that the stream carries: " + carriedBy(written) : "")
					+ ".");
		}
	}

	/** A lookup, not a search: the Lambda router asks for every record. */
	private static ViewType viewTypeNamed(String streamViewType) {
		try {
			return (streamViewType != null) ? ViewType.valueOf(streamViewType) : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static String carriedBy(ViewType written) {
		return Arrays.stream(ViewType.values())
			.filter(written::carriesAllOf)
			.map(ViewType::name)
			.collect(Collectors.joining(" or "));
	}

	/**
	 * Checks that settings name only triggers that exist.
	 * @param endpoints the endpoints by id
	 * @param configuredIds the trigger ids that {@code dynamo-trigger.triggers.<id>} names
	 * @throws IllegalStateException naming the unknown id and the known ones
	 */
	public static void checkConfigured(Map<String, TriggerEndpoint> endpoints, Collection<String> configuredIds) {
		for (String id : configuredIds) {
			if (!endpoints.containsKey(id)) {
				throw new IllegalStateException("dynamo-trigger.triggers." + id + " configures a trigger that does not"
						+ " exist; the triggers are " + List.copyOf(endpoints.keySet()) + ".");
			}
		}
	}

	/**
	 * Adds an endpoint by its id.
	 * @param endpoints the endpoints by id
	 * @param endpoint the endpoint to add
	 * @throws IllegalStateException naming both methods when another endpoint has the id
	 */
	public static void addUnique(Map<String, TriggerEndpoint> endpoints, TriggerEndpoint endpoint) {
		TriggerEndpoint previous = endpoints.putIfAbsent(endpoint.id(), endpoint);
		if (previous != null) {
			throw new IllegalStateException("@DynamoTrigger methods " + previous.methodName() + " and "
					+ endpoint.methodName() + " have the same id '" + endpoint.id()
					+ "'; give each a unique id.");
		}
	}

}
