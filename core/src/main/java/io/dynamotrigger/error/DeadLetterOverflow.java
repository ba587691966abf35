package io.dynamotrigger.error;

/**
 * Where a dead-letter table or queue keeps a dead letter too large for its item or message: the whole dead
 * letter, under a key that the item or message holds instead of the images. The key depends only on the
 * trigger and the record, so a dead letter stored again (failed again on redrive) replaces the earlier one.
 */
public interface DeadLetterOverflow {

	/**
	 * Checks at startup that the overflow can be written.
	 * @throws IllegalStateException saying what to change
	 */
	void prepare();

	/**
	 * Keeps a whole dead letter.
	 * @param deadLetter the dead letter
	 * @return the key it is kept under
	 */
	String store(DeadLetterRecord deadLetter);

	/**
	 * Reads back a dead letter that {@link #store} kept.
	 * @param key its key
	 * @return the dead letter, without the exception itself
	 */
	DeadLetterRecord load(String key);

	/**
	 * Deletes a dead letter that {@link #store} kept, once it was handled.
	 * @param deadLetter the dead letter
	 */
	void delete(DeadLetterRecord deadLetter);

	/**
	 * Describes where dead letters are kept, for logs.
	 * @return e.g. {@code s3://bucket}
	 */
	String location();

	/**
	 * The key a dead letter is kept under: trigger, time of the first failure, shard and sequence number.
	 * @param deadLetter the dead letter
	 * @return the key
	 */
	static String keyOf(DeadLetterRecord deadLetter) {
		return deadLetter.source().triggerId() + "/" + deadLetter.failure().firstFailure() + "-"
				+ deadLetter.source().shardId() + "-" + deadLetter.source().sequenceNumber() + ".json";
	}

}
