package io.dynamotrigger.backfill;

/**
 * A token bucket of items per second, shared by the segments of one scan: a segment takes as many tokens as
 * its page brought items, waiting while the bucket is in debt. The bucket holds at most one second of tokens,
 * so a scan that paused does not burst afterwards.
 */
final class ScanRate {

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	private final int itemsPerSecond;

	private double tokens;

	private long refilledNanos = System.nanoTime();

	/**
	 * Creates a bucket.
	 * @param itemsPerSecond the rate; 0 for no limit
	 */
	ScanRate(int itemsPerSecond) {
		this.itemsPerSecond = itemsPerSecond;
		this.tokens = itemsPerSecond;
	}

	/**
	 * Takes tokens for items read, waiting until the bucket is out of debt.
	 * @param items how many items a page brought
	 * @throws InterruptedException if interrupted while waiting
	 */
	void take(int items) throws InterruptedException {
		if (this.itemsPerSecond == 0) {
			return;
		}
		long waitNanos;
		synchronized (this) {
			refill();
			this.tokens -= items;
			waitNanos = (this.tokens >= 0) ? 0 : (long) (-this.tokens * NANOS_PER_SECOND / this.itemsPerSecond);
		}
		if (waitNanos > 0) {
			Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
		}
	}

	private void refill() {
		long now = System.nanoTime();
		this.tokens = Math.min(this.itemsPerSecond,
				this.tokens + (double) (now - this.refilledNanos) * this.itemsPerSecond / NANOS_PER_SECOND);
		this.refilledNanos = now;
	}

}
