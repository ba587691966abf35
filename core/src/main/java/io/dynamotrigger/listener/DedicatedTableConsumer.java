package io.dynamotrigger.listener;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.dynamotrigger.config.TableConsumerSettings;
import io.dynamotrigger.config.TableStream;
import io.dynamotrigger.error.DeadLetterHandler;
import io.dynamotrigger.kcl.KclSchedulerFactory;
import io.dynamotrigger.kcl.LeaseTablePreparation;
import io.dynamotrigger.kcl.SchedulerShutdown;
import io.dynamotrigger.lease.LastShardEnd;
import io.dynamotrigger.metrics.TriggerMetrics;
import io.dynamotrigger.status.ShardStall;
import io.dynamotrigger.status.ShardStatus;
import io.dynamotrigger.status.TriggerState;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.leases.Lease;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;

/**
 * Reads one table's stream for all of the table's triggers with a KCL application of the table's own: one
 * KCL scheduler, running on a thread of its own, with one {@link ShardProcessor} per leased shard. A consumer
 * runs once; to start reading again after a stop, create a new one (it resumes at the checkpoints).
 */
final class DedicatedTableConsumer implements TableConsumer {

	private static final Logger log = LoggerFactory.getLogger(DedicatedTableConsumer.class);

	/** What {@link #prepareLeaseTable} returns when the scheduler can run. */
	private static final String READY = "ready";

	private static final Duration OLDER_STREAM_CHECK_INTERVAL = Duration.ofSeconds(1);

	private final String table;

	private final List<ActiveTrigger> triggers;

	private final String leaseTable;

	private final String streamArn;

	private final Scheduler scheduler;

	private final KclSchedulerFactory schedulers;

	private final TableConsumerSettings settings;

	private final ShardRecordProcessorFactory processors;

	private final RecordPipeline pipeline;

	/** The scheduler reading now: the stream's, or an older stream's that is read to its end first. */
	private volatile Scheduler reading;

	private final StopSignal stop = new StopSignal();

	private final LeaseTablePreparation preparation;

	private final Duration shutdownTimeout;

	private final TableShards shards = new TableShards();

	private final LastShardEnd lastShardEnd = new LastShardEnd();

	private final StallRules stallRules;

	private Thread thread;

	private volatile TriggerState state = TriggerState.STOPPED;

	/**
	 * Creates the consumer of one table.
	 * @param table the table
	 * @param triggers its triggers, in calling order
	 * @param settings how it reads
	 * @param stream the table's stream and partition key
	 * @param schedulers creates its KCL scheduler
	 * @param deadLetters where records go that a trigger gives up on
	 * @param observations observes each trigger call
	 * @param preparation readies the lease table before the scheduler starts
	 * @param metrics records what the shards and triggers do
	 * @param shutdownTimeout how long a graceful stop may take
	 * @param stallTimeout how long a shard may make no progress (a record in progress, no read, the checkpoint
	 * behind received records) before it counts as stalled
	 */
	DedicatedTableConsumer(String table, List<ActiveTrigger> triggers, TableConsumerSettings settings, TableStream stream,
			KclSchedulerFactory schedulers, DeadLetterHandler deadLetters, ObservationRegistry observations,
			LeaseTablePreparation preparation, TriggerMetrics metrics, Duration shutdownTimeout, Duration stallTimeout) {
		this.table = table;
		this.triggers = List.copyOf(triggers);
		this.leaseTable = settings.leaseTable();
		this.streamArn = stream.streamArn();
		this.preparation = preparation;
		this.shutdownTimeout = shutdownTimeout;
		this.stallRules = StallRules.of(stallTimeout, this.triggers);
		List<String> ids = this.triggers.stream().map(ActiveTrigger::id).toList();
		RecordPipeline pipeline = new RecordPipeline(table, this.triggers, new RetryingDeadLetterPublisher(deadLetters,
				RetryingDeadLetterPublisher.DEFAULT_BACK_OFF, this.stop), this.stop, Clock.systemUTC(), observations);
		this.pipeline = pipeline;
		this.schedulers = schedulers;
		this.settings = settings;
		this.processors = () -> new ShardProcessor(table, ids, pipeline, this.stop, metrics, this.shards.byId(),
				Clock.systemUTC(), settings.concurrency(), stream.partitionKey(), this.lastShardEnd, new ReadGate());
		this.scheduler = schedulers.create(table, settings, this.streamArn, this.processors);
		this.reading = this.scheduler;
		metrics.stalledShards(table, this::stalledShards);
	}

	@Override
	public String table() {
		return this.table;
	}

	@Override
	public List<ActiveTrigger> triggers() {
		return this.triggers;
	}

	@Override
	public String leaseTable() {
		return this.leaseTable;
	}

	@Override
	public RecordPipeline pipeline() {
		return this.pipeline;
	}

	/**
	 * Starts reading on the consumer's own thread; slow steps (lease table creation) happen there, so the
	 * application's startup is not held up by them.
	 */
	@Override
	public synchronized void start() {
		this.state = TriggerState.STARTING;
		// Not a daemon: like a message listener container, a running consumer keeps a worker-only
		// application (no web server) alive until it is stopped.
		this.thread = new Thread(this::run, "dynamo-trigger-" + this.table);
		this.thread.start();
	}

	private void run() {
		String prepared = prepareLeaseTable(this.scheduler, this.streamArn);
		while (prepared != null && !prepared.equals(READY)) {
			if (!readToTheEnd(prepared)) {
				return;
			}
			prepared = prepareLeaseTable(this.scheduler, this.streamArn);
		}
		if (prepared == null) {
			return;
		}
		this.state = TriggerState.RUNNING;
		this.reading = this.scheduler;
		if (this.stop.isStopped()) {
			return;
		}
		this.scheduler.run();
		if (!this.stop.isStopped()) {
			this.state = TriggerState.FAILED;
			log.error("The consumer of table {} stopped by itself; its triggers {} get no records until it is started"
					+ " again", this.table, this.triggers.stream().map(ActiveTrigger::id).toList());
		}
	}

	/**
	 * Reads an older stream of the table (deleted and created again, or its stream replaced) to its end with
	 * a scheduler of its own, on the same lease table, before the table's stream is read: the older stream
	 * stays readable until its records expire, and its records were written before the new stream's.
	 * @return {@code false} if the consumer stopped meanwhile
	 */
	private boolean readToTheEnd(String olderStreamArn) {
		Scheduler older = this.schedulers.create(this.table, this.settings, olderStreamArn, this.processors);
		if (prepareLeaseTable(older, olderStreamArn) == null) {
			return false;
		}
		if (readToTheEnd(older, olderStreamArn)) {
			return !this.stop.isStopped();
		}
		this.state = TriggerState.RUNNING;
		this.reading = older;
		Thread thread = new Thread(older, "dynamo-trigger-" + this.table + "-older-stream");
		thread.setDaemon(true);
		thread.start();
		while (!this.stop.isStopped()) {
			try {
				Thread.sleep(OLDER_STREAM_CHECK_INTERVAL.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
			if (readToTheEnd(older, olderStreamArn)) {
				stopScheduler(older, this.shutdownTimeout);
				return !this.stop.isStopped();
			}
		}
		return false;
	}

	/**
	 * Tells whether an older stream is read to its end, by this instance or another; {@code false} when that
	 * cannot be told now.
	 */
	private boolean readToTheEnd(Scheduler older, String olderStreamArn) {
		try {
			if (this.preparation.readToTheEnd(older, this.leaseTable, olderStreamArn)) {
				log.info("Read the older stream {} of table {} to its end", olderStreamArn, this.table);
				return true;
			}
		}
		catch (Exception ex) {
			log.warn("Could not tell whether the older stream {} of table {} is read to its end; asking again",
					olderStreamArn, this.table, ex);
		}
		return false;
	}

	/**
	 * Prepares the lease table for a scheduler, trying again with back-off until it succeeds or the consumer
	 * stops.
	 * @return {@link #READY}, an older stream of the table to read to its end first, or {@code null} if the
	 * consumer stopped
	 */
	private String prepareLeaseTable(Scheduler scheduler, String streamArn) {
		ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
		backOff.setMaxInterval(30_000);
		BackOffExecution execution = backOff.start();
		while (!this.stop.isStopped()) {
			try {
				String olderStream = this.preparation.prepare(scheduler, this.leaseTable, streamArn);
				return (olderStream != null) ? olderStream : READY;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
			catch (Exception ex) {
				long delay = execution.nextBackOff();
				log.warn("Could not prepare lease table {} of table {}; trying again in {} ms", this.leaseTable,
						this.table, delay, ex);
				try {
					Thread.sleep(delay);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					return null;
				}
			}
		}
		return null;
	}

	/**
	 * Stops gracefully: no record is started after this call, but each shard calls its batch triggers once
	 * more with the records they gathered; the shards checkpoint what is done and hand their leases back.
	 * The whole stop takes at most about the shutdown timeout: a graceful stop that has not finished when
	 * three quarters of it have passed is cut short with {@code Scheduler.shutdown()}, which takes a few
	 * seconds itself (it stops the lease coordinator and the leader lock), and the consumer's thread is
	 * waited for only until the timeout ends.
	 */
	@Override
	public synchronized void stop() {
		if (this.thread == null) {
			return;
		}
		this.stop.stop();
		long start = System.nanoTime();
		long deadline = start + this.shutdownTimeout.toNanos();
		Scheduler scheduler = this.reading;
		if (this.state == TriggerState.STARTING) {
			this.thread.interrupt();
			scheduler.shutdown();
		}
		else {
			stopScheduler(scheduler, this.shutdownTimeout.multipliedBy(3).dividedBy(4));
		}
		try {
			// At least a moment: join(0) would wait for good.
			this.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.thread.isAlive()) {
			log.warn("The consumer of table {} has not ended within {}; it ends in the background", this.table,
					this.shutdownTimeout);
		}
		this.thread = null;
		this.state = TriggerState.STOPPED;
		log.info("Stopped reading table {} in {} ms", this.table,
				TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
	}

	private void stopScheduler(Scheduler scheduler, Duration gracePeriod) {
		SchedulerShutdown.gracefully(scheduler, "table " + this.table, "dynamo-trigger-" + this.table + "-shutdown",
				gracePeriod);
	}

	@Override
	public TriggerState state() {
		return this.state;
	}

	/**
	 * Returns the last shard whose end this consumer checkpointed, if it took no shard since.
	 */
	@Override
	public LastShardEnd lastShardEnd() {
		return this.lastShardEnd;
	}

	/**
	 * Returns the shards this consumer processes, with the age of their lease renewals: KCL drops a lease
	 * that it could not renew within the failover time from the leases it holds.
	 */
	@Override
	public List<ShardStatus> shards() {
		Map<String, Long> renewedNanos = new HashMap<>();
		for (Lease lease : this.reading.leaseCoordinator().getAssignments()) {
			if (lease.lastCounterIncrementNanos() != null) {
				renewedNanos.put(lease.leaseKey(), lease.lastCounterIncrementNanos());
			}
		}
		return this.shards.statuses(renewedNanos, stallRules());
	}

	/**
	 * Counts the shards this consumer processes that are stalled in one way, as of now.
	 * @param kind the kind of stall
	 * @return how many shards are stalled so
	 */
	int stalledShards(ShardStall.Kind kind) {
		return this.shards.stalled(kind, stallRules());
	}

	/**
	 * The stall rules as of now: none while the consumer does not run or a trigger of the table waits for its
	 * backfill (it holds the shards); no checkpoint stall while a trigger of the table is paused (its held
	 * records hold the checkpoint).
	 */
	private StallRules stallRules() {
		if (this.state != TriggerState.RUNNING || this.triggers.stream().anyMatch(ActiveTrigger::isHeldByBackfill)) {
			return StallRules.NEVER;
		}
		boolean paused = this.triggers.stream().anyMatch(ActiveTrigger::isPaused);
		return paused ? this.stallRules.whilePaused() : this.stallRules;
	}

}
