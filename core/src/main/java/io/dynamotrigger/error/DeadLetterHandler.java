package io.dynamotrigger.error;

/**
 * Where records go that a trigger could not handle. The consumer checkpoints past a dead-lettered record
 * only after {@link #handle} returned; when it throws, the consumer calls it again with back-off and the
 * shard waits, so a record is always either handled or here.
 *
 * <p>The starter writes dead letters to a DynamoDB table unless the application defines a bean of this
 * type.
 */
@FunctionalInterface
public interface DeadLetterHandler {

	/**
	 * Keeps a dead letter.
	 * @param deadLetter the record and why it failed, with the exception the trigger threw last
	 * ({@code deadLetter.failure().exception()})
	 * @throws Exception if it could not be kept; it is offered again
	 */
	void handle(DeadLetterRecord deadLetter) throws Exception;

	/**
	 * Readies the destination once, when the triggers start and before the first record, e.g. creates it.
	 * Does nothing by default.
	 */
	default void prepare() {
	}

}
