package io.dynamotrigger.kcl.threads;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import software.amazon.kinesis.coordinator.CoordinatorFactory;
import software.amazon.kinesis.coordinator.SchedulerCoordinatorFactory;

/**
 * The threads of one KCL application, however many shards it reads: a timer that starts each shard's next
 * read when its pacing says, and a pool that runs the reads and KCL's shard tasks (see {@link ShardTaskPool}).
 * At rest that is the timer and the pool's base threads; a handler that blocks holds one more thread, not
 * the other shards'.
 */
public final class ShardThreads implements AutoCloseable {

	/** Threads the pool keeps: at rest a read or a shard task takes a few milliseconds. */
	static final int BASE_THREADS = 4;

	/**
	 * The most threads the pool grows to: one for each shard whose handler blocks at the same time, beyond
	 * the base. A worker holding more shards with blocked handlers than this holds the rest too.
	 */
	static final int MAX_THREADS = 256;

	/** How long a task may wait for a thread before one is added. */
	static final Duration STARVATION = Duration.ofMillis(100);

	/** How long threads above the base must stay unused before they are taken back. */
	static final Duration SHRINK_AFTER = Duration.ofSeconds(10);

	private final ScheduledThreadPoolExecutor timer;

	private final ShardTaskPool tasks;

	/**
	 * Creates the threads of an application.
	 * @param name the prefix of the threads' names
	 */
	public ShardThreads(String name) {
		this(name, BASE_THREADS, MAX_THREADS, STARVATION, SHRINK_AFTER);
	}

	ShardThreads(String name, int baseThreads, int maxThreads, Duration starvation, Duration shrinkAfter) {
		this.timer = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, name + "-timer");
			thread.setDaemon(true);
			return thread;
		});
		this.timer.setRemoveOnCancelPolicy(true);
		this.tasks = new ShardTaskPool(name + "-shard", baseThreads, maxThreads, starvation.toNanos(),
				shrinkAfter.toNanos(), System::nanoTime);
		long check = Math.max(1, starvation.toMillis() / 2);
		this.timer.scheduleWithFixedDelay(this.tasks::adjust, check, check, TimeUnit.MILLISECONDS);
	}

	/**
	 * Returns the timer that starts the shards' reads; its tasks must only hand work to {@link #tasks()}.
	 * @return the timer
	 */
	public ScheduledExecutorService timer() {
		return this.timer;
	}

	/**
	 * Returns the pool that runs the shards' reads and KCL's shard tasks.
	 * @return the pool
	 */
	public ExecutorService tasks() {
		return this.tasks;
	}

	/**
	 * Returns the threads' current number, the timer's included.
	 * @return the number of threads
	 */
	public int size() {
		return 1 + this.tasks.getPoolSize();
	}

	/**
	 * Returns KCL's coordinator factory with {@link #tasks()} for the scheduler's shard tasks in place of
	 * KCL's pool of a thread per busy shard. The scheduler does not shut the pool down; {@link #close()} does.
	 * @return the coordinator factory
	 */
	public CoordinatorFactory coordinatorFactory() {
		return new SchedulerCoordinatorFactory() {

			@Override
			public ExecutorService createExecutorService() {
				return ShardThreads.this.tasks;
			}

		};
	}

	/**
	 * Stops the threads, interrupting the tasks still running (as KCL's scheduler does with its own pool when
	 * it ends); call it once the scheduler has ended.
	 */
	@Override
	public void close() {
		this.timer.shutdownNow();
		this.tasks.shutdownNow();
	}

}
