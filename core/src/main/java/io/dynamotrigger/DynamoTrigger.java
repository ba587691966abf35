package io.dynamotrigger;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as a trigger of a DynamoDB table: the method is called for each change written
 * to the table's stream, like an AWS Lambda function with a DynamoDB Streams event source.
 *
 * <p>The method takes one of these parameters, optionally followed by a {@link TriggerContext}:
 * <ul>
 * <li>{@code T}: the new image (the old image for {@link EventType#REMOVE});</li>
 * <li>{@link ItemChange ItemChange&lt;T&gt;}: keys, both images and the record's metadata;</li>
 * <li>{@code List<ItemChange<T>>}: a batch of records of one shard that the trigger accepts, in stream
 * order, at most {@link #batchSize()} of them, gathered across reads for up to {@link #batchWindow()};
 * retried and dead-lettered as a whole;</li>
 * <li>{@code ItemChange<Map<String, AttributeValue>>}: the images unmapped;</li>
 * <li>the SDK's stream {@code Record}, as read.</li>
 * </ul>
 * {@code T} is a class the AWS SDK Enhanced Client can map: annotated with {@code @DynamoDbBean} or
 * {@code @DynamoDbImmutable}. The return type is {@code void}. A method that does not fit, or whose
 * parameter needs an image the {@link #viewType()} never carries, fails the application at startup with a
 * message that names it. Everything about the signature is resolved then; per record only the mapping
 * and the call remain.
 *
 * <p><b>Filters.</b> {@link #events()}, {@link #changed()} and {@link #filter()} are checked on the raw
 * record before anything is mapped; a record a filter rejects is done for this trigger (and checkpointed)
 * without a call.
 *
 * <p><b>Ordering.</b> Records of one item (one partition key) arrive in the order they were written, as
 * DynamoDB Streams orders them per shard; a record is passed to a per-record handler only after every
 * earlier record of its shard was done by every per-record handler of the table, and batch handlers get
 * records after the per-record handlers, in stream order. A batch waiting for its size or window holds
 * back the checkpoint, not the other handlers. Records of different shards are handled in parallel.
 *
 * <p><b>Delivery.</b> At least once. A handler that throws is called again with back-off, and later
 * records of that shard wait; a record is never skipped. After a crash or a lease move between instances,
 * records since the last checkpoint are delivered again, so handlers should be idempotent.
 *
 * <p>All handlers of one table share one stream consumer (DynamoDB allows two readers per shard), whose
 * leases and checkpoints are kept in a DynamoDB lease table named after {@code spring.application.name},
 * one for all tables of the application (with {@code dynamo-trigger.kcl.application-mode=per-table}, one per
 * table, named after the application and the table).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface DynamoTrigger {

	/**
	 * The name of the table whose stream triggers the method. Accepts {@code ${...}} placeholders.
	 * @return the table name
	 */
	String table();

	/**
	 * The stream view type the method expects. The table's stream must use this view type.
	 * @return the expected view type
	 */
	ViewType viewType() default ViewType.NEW_AND_OLD_IMAGES;

	/**
	 * The event types that call the method; records of other types are passed over (and checkpointed).
	 * @return the event types, all by default
	 */
	EventType[] events() default { EventType.INSERT, EventType.MODIFY, EventType.REMOVE };

	/**
	 * Attribute names the trigger is interested in: a {@link EventType#MODIFY} calls the method only when
	 * one of them was added, removed or given another value; an {@link EventType#INSERT} or
	 * {@link EventType#REMOVE} only when its image has one of them. Needs the images of the listed events
	 * (both for MODIFY: {@link ViewType#NEW_AND_OLD_IMAGES}); checked at startup.
	 * @return the attribute names, none (no such filter) by default
	 */
	String[] changed() default {};

	/**
	 * Up to five filter patterns in the syntax of AWS Lambda's event filtering for DynamoDB, e.g.
	 * {@code {"dynamodb": {"NewImage": {"status": {"S": ["ACTIVE"]}}}}}; the method is called for a record
	 * that matches any of them. Supports equals, {@code prefix}, {@code suffix}, {@code equals-ignore-case},
	 * {@code anything-but}, {@code exists} and {@code numeric} ranges (also on {@code N} values, which Lambda
	 * does not). Accepts {@code ${...}} placeholders. Parsed and checked at startup; an invalid pattern fails
	 * the start with its position and problem. See {@link io.dynamotrigger.filter.EventPattern}.
	 * @return the patterns, none (no such filter) by default
	 */
	String[] filter() default {};

	/**
	 * Batch methods only: the most records per call, 1 to 10,000; a read with more is split into several
	 * calls. Accepts {@code ${...}} placeholders; {@code dynamo-trigger.triggers.<id>.batch-size} replaces
	 * it. Checked at startup, as is its use on a method that takes one record.
	 * @return the batch size, or empty for 100
	 */
	String batchSize() default "";

	/**
	 * Batch methods only: how long the first record of an unfilled batch waits for more records of its
	 * shard before the method is called with what there is, e.g. {@code "5s"}, {@code "500ms"} or
	 * {@code "PT5S"}; at most 5 minutes. {@code 0}, the default, calls the method after each read with what
	 * the read brought. The window is checked after each read (also an empty one), so a batch may wait up to
	 * one poll interval longer. Accepts {@code ${...}} placeholders;
	 * {@code dynamo-trigger.triggers.<id>.batch-window} replaces it. Checked at startup.
	 * @return the batch window, or empty for none
	 */
	String batchWindow() default "";

	/**
	 * Makes the method a tumbling-window method: the length of its windows, e.g. {@code "PT1M"} or
	 * {@code "1m"}: whole seconds from 1 s to 15 minutes that divide an hour. The method is then
	 * {@code S m(List<ItemChange<T>> changes, S state, WindowContext context)}: called per shard with each
	 * read's records of a window (by approximate creation time, windows aligned to multiples of the length)
	 * and the state the previous call of the window returned ({@code null} at first), it returns the new
	 * state; when the window closes it is called once more with no records and
	 * {@link WindowContext#finalInvokeForWindow()} {@code true}. The state is kept as JSON with the shard's
	 * checkpoint, so a restart or a lease move resumes the open window; see {@link WindowContext}. With
	 * {@code concurrency} above 1 it gets each whole read in stream order, after the per-record triggers' lanes.
	 * Accepts {@code ${...}} placeholders; checked at startup.
	 * @return the window length, or empty for a method that is not a window method
	 */
	String window() default "";

	/**
	 * Whether the trigger first gets every item the table holds (a backfill), then the stream's changes:
	 * {@code "true"} or {@code "false"}. The consumer holds the trigger's stream records, scans the table once
	 * (in parallel segments, at a limited rate, resumable after a restart, by one instance of the application)
	 * and calls the method with each item as an {@link ItemChange#isBackfill() INSERT-like backfill change}, then
	 * goes on with the stream; stream records written before the scan began are covered by it and passed over
	 * (counted). No item present at the scan's end is missed; changes made during the scan may come twice. The
	 * scan runs once per trigger: a finished backfill is not repeated at restart (the actuator's
	 * {@code backfill} action starts another). Accepts {@code ${...}} placeholders;
	 * {@code dynamo-trigger.triggers.<id>.backfill} replaces it.
	 * @return {@code "true"} for a backfill, or empty for none
	 */
	String backfill() default "";

	/**
	 * {@code "true"} makes the trigger idempotent: a record it handled successfully is not handed to it again
	 * (a re-read after a crash or lease move, a redrive of a record it completed). Each record's event id is
	 * claimed in the idempotency table ({@code dynamo-trigger.idempotency.*}) before the call and marked
	 * completed after it; a claim whose consumer died runs out after the lock timeout, and the record is then
	 * called again. A batch method gets only the records not completed yet. While the table cannot be reached,
	 * the shard waits. Costs two writes per record. Accepts {@code ${...}} placeholders;
	 * {@code dynamo-trigger.triggers.<id>.idempotent} replaces it.
	 * @return {@code "true"} or {@code "false"}, or empty for the property's value (default {@code false})
	 */
	String idempotent() default "";

	/**
	 * Idempotent triggers only: the name of an {@link io.dynamotrigger.idempotency.IdempotencyKey} bean that
	 * keys records without a stream event id (backfilled changes, records handed in by the application). Records
	 * with an event id are keyed by it. Without this, records without an event id are delivered at least once.
	 * Checked at startup.
	 * @return the bean name, or empty for none
	 */
	String idempotencyKey() default "";

	/**
	 * The trigger's id, used in logs, metrics and per-trigger properties. Accepts {@code ${...}}
	 * placeholders. Defaults to {@code beanName.methodName}.
	 * @return the id, or empty for the default
	 */
	String id() default "";

}
