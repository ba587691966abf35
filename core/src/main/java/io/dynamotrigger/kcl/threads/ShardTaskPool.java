package io.dynamotrigger.kcl.threads;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the shard tasks of a KCL application (initializing, processing, shutting down a shard), or its reads, on
 * as many threads as are busy, not one per shard. A task waits in a queue for a free thread; one that has waited
 * longer than the starvation time means every thread is held, e.g. by handlers that are slow or wait for a
 * retry, so {@link #adjust()} adds a thread for each such task, up to a maximum. After each shrink time the
 * pool keeps the base or the most threads that were busy at once in it (sampled at each adjustment),
 * whichever is more. So a slow handler holds its own shard's thread, never the
 * other shards'.
 *
 * <p>KCL's own pool starts a thread whenever a task finds no idle one and keeps it for 60 s; with many shards
 * whose tiny tasks meet by chance it held about one thread per shard at rest.
 */
final class ShardTaskPool extends ThreadPoolExecutor {

	private static final Logger log = LoggerFactory.getLogger(ShardTaskPool.class);

	private final String name;

	private final int baseThreads;

	private final int maxThreads;

	private final long starvationNanos;

	private final long shrinkAfterNanos;

	private final LongSupplier nanoClock;

	/** What to warn of when tasks wait and the pool is at its maximum, or {@code null} to warn of nothing. */
	private final String atMaximum;

	/** When the current window of the shrink check began, and the most threads busy in it. */
	private long windowStart;

	private int peakBusy;

	private boolean warnedAtMax;

	/**
	 * Creates the pool with its base threads started on demand.
	 * @param name the prefix of its threads' names
	 * @param baseThreads the threads it keeps
	 * @param maxThreads the most threads it grows to
	 * @param starvationNanos how long a task may wait for a thread before one is added
	 * @param shrinkAfterNanos how long threads above the base must stay unused before they are taken back
	 * @param nanoClock the time
	 * @param atMaximum what to warn of (once until the pool shrinks) when tasks wait and the pool is at its
	 * maximum, or {@code null} when waiting then is expected
	 */
	ShardTaskPool(String name, int baseThreads, int maxThreads, long starvationNanos, long shrinkAfterNanos,
			LongSupplier nanoClock, String atMaximum) {
		super(baseThreads, baseThreads, 0, TimeUnit.NANOSECONDS, new LinkedBlockingQueue<>(), new DaemonThreads(name));
		this.name = name;
		this.baseThreads = baseThreads;
		this.maxThreads = maxThreads;
		this.starvationNanos = starvationNanos;
		this.shrinkAfterNanos = shrinkAfterNanos;
		this.nanoClock = nanoClock;
		this.atMaximum = atMaximum;
		this.windowStart = nanoClock.getAsLong();
	}

	@Override
	public void execute(Runnable task) {
		super.execute(new Queued(task, this.nanoClock.getAsLong()));
	}

	/**
	 * Adds a thread for each task that has waited longer than the starvation time, or takes back the threads
	 * that were not needed during the last shrink time. Called by one thread at a time, often (a fraction of
	 * the starvation time).
	 */
	void adjust() {
		long now = this.nanoClock.getAsLong();
		int starving = 0;
		for (Runnable task : getQueue()) {
			if (task instanceof Queued queued && now - queued.at() > this.starvationNanos) {
				starving++;
			}
		}
		int size = getCorePoolSize();
		int busy = getActiveCount();
		if (starving > 0) {
			resize(Math.min(this.maxThreads, size + starving), now, busy);
			if (size + starving > this.maxThreads && this.atMaximum != null && !this.warnedAtMax) {
				this.warnedAtMax = true;
				log.warn("All {} threads of {} are busy and {} task(s) wait for one: {}", this.maxThreads, this.name,
						starving, this.atMaximum);
			}
			return;
		}
		this.peakBusy = Math.max(this.peakBusy, busy);
		if (now - this.windowStart >= this.shrinkAfterNanos) {
			int needed = Math.max(this.baseThreads, this.peakBusy);
			if (needed < size) {
				resize(needed, now, busy);
			}
			else {
				this.windowStart = now;
				this.peakBusy = busy;
			}
		}
	}

	private void resize(int threads, long now, int busy) {
		// A fixed-size pool of the new size: a task finds a thread or waits in the queue; threads above a
		// smaller size end as soon as they finish their task.
		if (threads > getCorePoolSize()) {
			setMaximumPoolSize(threads);
			setCorePoolSize(threads);
		}
		else {
			setCorePoolSize(threads);
			setMaximumPoolSize(threads);
			this.warnedAtMax = false;
		}
		this.windowStart = now;
		this.peakBusy = busy;
	}

	/**
	 * A task and when it was handed to the pool.
	 */
	private record Queued(Runnable task, long at) implements Runnable {

		@Override
		public void run() {
			this.task.run();
		}

	}

}
