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
 * <p>The method takes exactly one parameter: either an {@link ItemChange ItemChange&lt;T&gt;}, or a
 * {@code T} that receives the new image (the old image for {@link EventType#REMOVE}). {@code T} is a
 * class the AWS SDK Enhanced Client can map: annotated with {@code @DynamoDbBean} or
 * {@code @DynamoDbImmutable}. The return type is {@code void}. A method that does not fit fails the
 * application at startup with a message that names it.
 *
 * <p><b>Ordering.</b> Records of one item (one partition key) arrive in the order they were written, as
 * DynamoDB Streams orders them per shard; a record is passed to a handler only after every earlier record
 * of its shard was done by every handler of the table. Records of different shards are handled in
 * parallel.
 *
 * <p><b>Delivery.</b> At least once. A handler that throws is called again with back-off, and later
 * records of that shard wait; a record is never skipped. After a crash or a lease move between instances,
 * records since the last checkpoint are delivered again, so handlers should be idempotent.
 *
 * <p>All handlers of one table share one stream consumer (DynamoDB allows two readers per shard), whose
 * leases and checkpoints are kept in a DynamoDB lease table named after {@code spring.application.name}
 * and the table.
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
	 * The trigger's id, used in logs, metrics and per-trigger properties. Accepts {@code ${...}}
	 * placeholders. Defaults to {@code beanName.methodName}.
	 * @return the id, or empty for the default
	 */
	String id() default "";

}
