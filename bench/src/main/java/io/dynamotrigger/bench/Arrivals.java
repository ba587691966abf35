package io.dynamotrigger.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * When each item first reached a consumer's handler (nanoTime), and how many calls there were in all.
 */
final class Arrivals {

	private final Map<String, Long> firstArrival = new ConcurrentHashMap<>();

	private final Runnable onFirst;

	private final AtomicInteger calls = new AtomicInteger();

	private final AtomicInteger distinct = new AtomicInteger();

	private final Object reached = new Object();

	private volatile int awaited = Integer.MAX_VALUE;

	private volatile long firstNanos;

	private volatile long lastNanos;

	/**
	 * Records arrivals.
	 * @param onFirst runs on the handler's thread when the first item arrives, before the handler goes on
	 */
	Arrivals(Runnable onFirst) {
		this.onFirst = onFirst;
	}

	void arrived(String id) {
		long now = System.nanoTime();
		this.calls.incrementAndGet();
		if (this.firstArrival.putIfAbsent(id, now) == null) {
			if (this.firstNanos == 0) {
				this.firstNanos = now;
				this.onFirst.run();
			}
			this.lastNanos = now;
			if (this.distinct.incrementAndGet() >= this.awaited) {
				synchronized (this.reached) {
					this.reached.notifyAll();
				}
			}
		}
	}

	long firstNanos() {
		return this.firstNanos;
	}

	long lastNanos() {
		return this.lastNanos;
	}

	Long arrivalOf(String id) {
		return this.firstArrival.get(id);
	}

	int distinct() {
		return this.distinct.get();
	}

	int calls() {
		return this.calls.get();
	}

	/**
	 * Waits until the given number of items arrived. Waits without polling: the waiting thread is one of the
	 * process's threads whose CPU time the benchmark counts, and a poll every few milliseconds would add its
	 * own CPU time to a consumer's, the more the longer that consumer takes to drain.
	 * @param count how many distinct items
	 * @param timeoutMillis how long at most
	 * @return whether they arrived
	 * @throws InterruptedException if interrupted
	 */
	boolean awaitDistinct(int count, long timeoutMillis) throws InterruptedException {
		long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
		synchronized (this.reached) {
			this.awaited = count;
			try {
				long left = timeoutMillis;
				while (distinct() < count && left > 0) {
					this.reached.wait(left);
					left = (deadline - System.nanoTime()) / 1_000_000;
				}
			}
			finally {
				this.awaited = Integer.MAX_VALUE;
			}
		}
		return distinct() >= count;
	}

}
