package io.dynamotrigger.kcl.threads;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import software.amazon.kinesis.coordinator.CoordinatorFactory;
import software.amazon.kinesis.coordinator.SchedulerCoordinatorFactory;

/**
 * The threads of one KCL application, however many shards and streams it reads: a timer that starts each
 * shard's next read when its pacing says, a pool that makes the reads, a pool that runs KCL's shard
 * tasks (see {@link ShardTaskPool}), and a small pool for KCL's shard syncs. At rest that is the timer, as
 * many read threads as reads are in flight at once (at most {@code dynamo-trigger.kcl.max-read-threads}, 8 by
 * default), the task pool's 2 base threads and at most 2 shard-sync threads; a handler that blocks holds one
 * more task thread, not the other shards'.
 */
public final class ShardThreads implements AutoCloseable {

	/** Threads the task pool keeps: at rest a shard task takes a fraction of a millisecond. */
	static final int BASE_THREADS = 2;

	/**
	 * The most threads the pool grows to: one for each shard whose handler blocks at the same time, beyond
	 * the base. A worker holding more shards with blocked handlers than this holds the rest too.
	 */
	static final int MAX_THREADS = 256;

	/** How long a task may wait for a thread before one is added. */
	static final Duration STARVATION = Duration.ofMillis(100);

	/** How long threads above the base must stay unused before they are taken back. */
	static final Duration SHRINK_AFTER = Duration.ofSeconds(10);

	/**
	 * Threads for KCL's shard syncs (a DescribeStream of one stream each). KCL's own pool starts a thread for
	 * each sync that finds none idle and keeps it a minute; its leader syncs every stream about once a minute
	 * (the new-stream check and the lease audit), all at once, so it held about a thread per stream.
	 */
	static final int SHARD_SYNC_THREADS = 2;

	private final ScheduledThreadPoolExecutor timer;

	private final ShardTaskPool reads;

	private final ShardTaskPool tasks;

	private final ThreadPoolExecutor shardSyncs;

	/**
	 * Creates the threads of an application.
	 * @param name the prefix of the threads' names
	 * @param maxReadThreads the most threads that make GetRecords calls, each blocked for the call's round
	 * trip (the read pool keeps one, and grows as the task pool does): 8 make 400 reads a second at 20 ms a
	 * call, 100 shards polled every 250 ms. A read that finds them all busy waits, so a slow endpoint slows
	 * the polling of every shard rather than holding a thread per read in flight.
	 */
	public ShardThreads(String name, int maxReadThreads) {
		this(name, maxReadThreads, BASE_THREADS, MAX_THREADS, STARVATION, SHRINK_AFTER);
	}

	ShardThreads(String name, int maxReadThreads, int baseThreads, int maxThreads, Duration starvation,
			Duration shrinkAfter) {
		this.timer = new ScheduledThreadPoolExecutor(1, new DaemonThreads(name + "-timer"));
		this.timer.setRemoveOnCancelPolicy(true);
		this.reads = new ShardTaskPool(name + "-read", 1, maxReadThreads, starvation.toNanos(), shrinkAfter.toNanos(),
				System::nanoTime, null);
		this.tasks = new ShardTaskPool(name + "-task", baseThreads, maxThreads, starvation.toNanos(),
				shrinkAfter.toNanos(), System::nanoTime,
				"handlers that block (or wait for a retry, or a stopped table) hold the other shards");
		this.shardSyncs = new ThreadPoolExecutor(SHARD_SYNC_THREADS, SHARD_SYNC_THREADS, shrinkAfter.toNanos(),
				TimeUnit.NANOSECONDS, new LinkedBlockingQueue<>(), new DaemonThreads(name + "-shard-sync"));
		this.shardSyncs.allowCoreThreadTimeOut(true);
		long check = Math.max(1, starvation.toMillis() / 2);
		this.timer.scheduleWithFixedDelay(() -> {
			this.reads.adjust();
			this.tasks.adjust();
		}, check, check, TimeUnit.MILLISECONDS);
	}

	/**
	 * Returns the timer that starts the shards' reads; its tasks must only hand work to {@link #reads()}.
	 * @return the timer
	 */
	public ScheduledExecutorService timer() {
		return this.timer;
	}

	/**
	 * Returns the pool that makes the shards' reads: one thread, more while reads wait, at most the maximum
	 * given.
	 * @return the pool
	 */
	public ExecutorService reads() {
		return this.reads;
	}

	/**
	 * Returns the pool that runs KCL's shard tasks: initializing a shard, handing each read to its processor,
	 * shutting it down.
	 * @return the pool
	 */
	public ExecutorService tasks() {
		return this.tasks;
	}

	/**
	 * Returns the pool for KCL's shard syncs ({@code LeaseManagementConfig.executorService}); its threads end
	 * when unused for the shrink time.
	 * @return the pool
	 */
	public ExecutorService shardSyncs() {
		return this.shardSyncs;
	}

	/**
	 * Returns the threads' current number: the timer, the reads, the tasks and the shard syncs.
	 * @return the number of threads
	 */
	public int size() {
		return 1 + this.reads.getPoolSize() + this.tasks.getPoolSize() + this.shardSyncs.getPoolSize();
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
		this.reads.shutdownNow();
		this.tasks.shutdownNow();
		this.shardSyncs.shutdownNow();
	}

}
