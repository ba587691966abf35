package io.dynamotrigger.kcl.polling;

/**
 * The pause after failed or throttled reads: 250 ms, doubling with each further failure up to 10 s.
 * DynamoDB Streams documents no GetRecords rate per shard, only that it throttles; the SDK client has
 * already retried a throttled call a few times when the reader sees it, so the shard backs off well
 * beyond that before it tries again.
 */
final class FailedReadBackOff {

	static final long FIRST_MILLIS = 250;

	static final long MAX_MILLIS = 10_000;

	private long next = FIRST_MILLIS;

	/**
	 * Returns the pause after one more failure.
	 * @return milliseconds to wait
	 */
	long afterFailure() {
		long delay = this.next;
		this.next = Math.min(MAX_MILLIS, this.next * 2);
		return delay;
	}

	/**
	 * Starts again from the first pause: a read succeeded.
	 */
	void reset() {
		this.next = FIRST_MILLIS;
	}

}
