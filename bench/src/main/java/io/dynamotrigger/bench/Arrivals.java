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
		return this.firstArrival.size();
	}

	int calls() {
		return this.calls.get();
	}

	boolean awaitDistinct(int count, long timeoutMillis) throws InterruptedException {
		long deadline = System.currentTimeMillis() + timeoutMillis;
		while (distinct() < count && System.currentTimeMillis() < deadline) {
			Thread.sleep(5);
		}
		return distinct() >= count;
	}

}
