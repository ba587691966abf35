package io.dynamotrigger.idempotency;

import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * The key of a change that has no stream event id (a backfilled change, or one handed in by the application),
 * for an idempotent trigger: two records with the same key are the same change, and the trigger is called for
 * one of them. Records read from a stream, and dead letters redriven from them, keep their event id and never
 * ask for this key.
 *
 * <p>Define it as a bean and name the bean in {@code @DynamoTrigger(idempotencyKey = "beanName")}; it is looked
 * up once, at startup. It runs for every record without an event id, so it should only read the record, e.g.
 * {@code record -> record.dynamodb().keys().get("id").s() + "@" + record.dynamodb().newImage().get("version").n()}.
 */
@FunctionalInterface
public interface IdempotencyKey {

	/**
	 * Returns the key of a change.
	 * @param record the change, as a stream record without an event id
	 * @return its key, not blank; the same for the same change
	 */
	String keyOf(Record record);

}
