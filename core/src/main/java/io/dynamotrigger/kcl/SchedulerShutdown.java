package io.dynamotrigger.kcl;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.coordinator.Scheduler;

/**
 * Stops a KCL scheduler gracefully within a grace period, and at once after it.
 */
public final class SchedulerShutdown {

	private static final Logger log = LoggerFactory.getLogger(SchedulerShutdown.class);

	private SchedulerShutdown() {
	}

	/**
	 * Runs KCL's graceful shutdown on a thread of its own, and stops the scheduler at once if it
	 * has not finished within the given time. {@code Scheduler.startGracefulShutdown()}
	 * would run it on the common fork-join pool, where it blocks a worker until every shard has stopped; a
	 * shard stops only after its current GetRecords call returns, and the DynamoDB Streams adapter runs that
	 * call on the same pool. With one or two CPUs that pool has a single worker, and JDK 25 (unlike JDK 17,
	 * which starts a thread per task when the pool is that small) uses it anyway, so the stop stalled until
	 * the shard's read was interrupted (an ERROR from KCL). KCL offers the shutdown as a callable for exactly
	 * this: to be run on an executor of the caller's choice.
	 * @param scheduler the scheduler
	 * @param name what it reads, for the log
	 * @param threadName the name of the thread that runs the graceful shutdown
	 * @param gracePeriod how long the graceful shutdown may take
	 * <p>
	 * A graceful shutdown does not finish when a shard ends during it with records not done (see
	 * {@link ShardProcessor#shardEnded}), nor, at times, when it overlaps the start of a child shard's
	 * consumer (KCL issue 542).
	 */
	public static void gracefully(Scheduler scheduler, String name, String threadName, Duration gracePeriod) {
		FutureTask<Boolean> shutdown = new FutureTask<>(scheduler.createGracefulShutdownCallable());
		Thread thread = new Thread(shutdown, threadName);
		thread.setDaemon(true);
		thread.start();
		try {
			shutdown.get(gracePeriod.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			thread.interrupt();
			scheduler.shutdown();
		}
		catch (ExecutionException | TimeoutException ex) {
			log.warn("Graceful stop of {} did not finish within {}; stopping at once", name, gracePeriod, ex);
			thread.interrupt();
			scheduler.shutdown();
		}
	}

}
