package io.dynamotrigger.idempotency;

/**
 * What one idempotent trigger's idempotency step does: records skipped as already handled, and the latency
 * of each request to the idempotency table ({@link MicrometerIdempotencyMeters} in Micrometer).
 */
public interface IdempotencyMeters {

	/** Meters that record nothing. */
	IdempotencyMeters NONE = new IdempotencyMeters() {

		@Override
		public void skipped() {
		}

		@Override
		public void storeCall(Operation operation, long nanos, boolean success) {
		}

	};

	/**
	 * Counts a record skipped because the trigger handled it already.
	 */
	void skipped();

	/**
	 * Records one request to the idempotency table.
	 * @param operation what it did
	 * @param nanos how long it took
	 * @param success whether it got an answer
	 */
	void storeCall(Operation operation, long nanos, boolean success);

	/**
	 * The requests to the idempotency table.
	 */
	enum Operation {

		/** Which records of a batch were completed (BatchGetItem). */
		READ("read"),

		/** Claiming a record (conditional PutItem, and GetItem when it is held). */
		CLAIM("claim"),

		/** Marking records completed (PutItem or BatchWriteItem). */
		COMPLETE("complete"),

		/** Giving up a claim (conditional DeleteItem). */
		RELEASE("release");

		final String tag;

		Operation(String tag) {
			this.tag = tag;
		}

	}

}
