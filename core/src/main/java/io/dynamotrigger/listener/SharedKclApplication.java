package io.dynamotrigger.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.dynamotrigger.kcl.FormerStreamProcessor;
import io.dynamotrigger.kcl.KclSchedulerFactory;
import io.dynamotrigger.kcl.LeaseTablePreparation;
import io.dynamotrigger.kcl.OlderStreams;
import io.dynamotrigger.kcl.PerTableCheckpointCarryOver;
import io.dynamotrigger.kcl.RemovedTablesLeaseDeletion;
import io.dynamotrigger.kcl.SchedulerShutdown;
import io.dynamotrigger.kcl.SharedStream;
import io.dynamotrigger.kcl.threads.ShardThreads;
import io.dynamotrigger.status.TriggerState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;
import software.amazon.kinesis.common.StreamIdentifier;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.leases.Lease;
import software.amazon.kinesis.leases.LeaseRefresher;
import software.amazon.kinesis.processor.FormerStreamsLeasesDeletionStrategy;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;

/**
 * The one KCL application that reads every table's stream (KCL's multi-stream mode): one lease table, one
 * scheduler on a thread of its own, and for each leased shard a {@link ShardProcessor} of the shard's table,
 * found by the stream KCL names when it asks for the processor. Its shards are read and processed on
 * {@link ShardThreads} of its own, not on a thread per shard. Runs once, like a table's own consumer.
 */
final class SharedKclApplication {

	private static final Logger log = LoggerFactory.getLogger(SharedKclApplication.class);

	private static final long OLDER_STREAMS_CHECK_MILLIS = 1_000;

	private final String leaseTable;

	private final Duration failoverTime;

	private final KclSchedulerFactory schedulers;

	private final PerTableCheckpointCarryOver carryOver;

	private final OlderStreams olderStreams;

	private final Duration removedTablesLeaseDeletion;

	private final Duration shutdownTimeout;

	private final int maxReadThreads;

	private final StopSignal stop = new StopSignal();

	/** The tables by the serialized identifier of their stream. */
	private final Map<String, SharedTableConsumer> tables = new LinkedHashMap<>();

	/** The tables by the serialized identifiers of their older streams that are read first. */
	private final Map<String, SharedTableConsumer> tablesOfOlderStreams = new ConcurrentHashMap<>();

	private volatile Scheduler scheduler;

	private Thread thread;

	private volatile TriggerState state = TriggerState.STOPPED;

	/**
	 * Creates the application; its tables add themselves before it starts.
	 * @param leaseTable its lease table
	 * @param failoverTime the failover time of all its leases
	 * @param schedulers creates its scheduler
	 * @param carryOver carries a table's checkpoints over from its lease table in per-table mode
	 * @param olderStreams finds the tables' older streams that are read to their end first
	 * @param removedTablesLeaseDeletion how long after the leader first finds them the leases of tables no longer
	 * triggered are deleted; {@code null} to keep them
	 * @param shutdownTimeout how long a graceful stop may take
	 * @param maxReadThreads the most threads that make GetRecords calls at once
	 */
	SharedKclApplication(String leaseTable, Duration failoverTime, KclSchedulerFactory schedulers,
			PerTableCheckpointCarryOver carryOver, OlderStreams olderStreams, Duration removedTablesLeaseDeletion,
			Duration shutdownTimeout, int maxReadThreads) {
		this.leaseTable = leaseTable;
		this.failoverTime = failoverTime;
		this.schedulers = schedulers;
		this.carryOver = carryOver;
		this.olderStreams = olderStreams;
		this.removedTablesLeaseDeletion = removedTablesLeaseDeletion;
		this.shutdownTimeout = shutdownTimeout;
		this.maxReadThreads = maxReadThreads;
	}

	String leaseTable() {
		return this.leaseTable;
	}

	/**
	 * The stop signal of every table's record path: only the application's stop wakes retries, dead-letter
	 * offers and paused triggers, since a table stopped alone finishes its read in progress.
	 */
	StopSignal stopSignal() {
		return this.stop;
	}

	synchronized void add(SharedTableConsumer table) {
		this.tables.put(table.stream().streamIdentifier().serialize(), table);
	}

	/**
	 * Starts the scheduler on the application's own thread, after the lease table is ready.
	 */
	synchronized void start() {
		List<SharedStream> streams = this.tables.values().stream().map(SharedTableConsumer::stream).toList();
		FormerStreamsLeasesDeletionStrategy formerStreams = (this.removedTablesLeaseDeletion != null)
				? new RemovedTablesLeaseDeletion(this.tables.values()
					.stream()
					.map(SharedTableConsumer::table)
					.collect(Collectors.toSet()), this.removedTablesLeaseDeletion, () -> this.scheduler.leaseRefresher())
				: new FormerStreamsLeasesDeletionStrategy.NoLeaseDeletionStrategy();
		ShardThreads shardThreads = new ShardThreads("dynamo-trigger-" + this.leaseTable, this.maxReadThreads);
		this.scheduler = this.schedulers.createShared(this.leaseTable, this.failoverTime, streams, formerStreams,
				new Processors(), shardThreads);
		this.state = TriggerState.STARTING;
		// Not a daemon: like a message listener container, a running consumer keeps a worker-only
		// application (no web server) alive until it is stopped.
		// The scheduler has ended when run() returns; a shard task still running (a handler that blocks) is
		// interrupted, as KCL does with its own pool.
		this.thread = new Thread(() -> {
			try {
				run();
			}
			finally {
				shardThreads.close();
			}
		}, "dynamo-trigger-" + this.leaseTable);
		this.thread.start();
		log.info("Reading the streams of tables {} with one KCL application, lease table {}",
				streams.stream().map(SharedStream::table).toList(), this.leaseTable);
	}

	private void run() {
		List<SharedStream> streams = this.tables.values().stream().map(SharedTableConsumer::stream).toList();
		if (!prepareLeaseTable(streams)) {
			return;
		}
		this.state = TriggerState.RUNNING;
		if (this.stop.isStopped()) {
			return;
		}
		this.scheduler.run();
		if (!this.stop.isStopped()) {
			this.state = TriggerState.FAILED;
			log.error("The shared KCL application {} stopped by itself; the triggers of tables {} get no records until"
					+ " the application is started again", this.leaseTable, this.tables.values()
						.stream()
						.map(SharedTableConsumer::table)
						.toList());
		}
	}

	/**
	 * Prepares the lease table, trying again with back-off until it succeeds or the application stops.
	 * @return whether it is prepared
	 */
	private boolean prepareLeaseTable(List<SharedStream> streams) {
		ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
		backOff.setMaxInterval(30_000);
		BackOffExecution execution = backOff.start();
		while (!this.stop.isStopped()) {
			try {
				Map<String, List<StreamIdentifier>> older = LeaseTablePreparation.prepareShared(this.scheduler, streams,
						this.carryOver, this.olderStreams);
				readOlderStreamsFirst(older);
				return true;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
			catch (Exception ex) {
				long delay = execution.nextBackOff();
				log.warn("Could not prepare lease table {}; trying again in {} ms", this.leaseTable, delay, ex);
				if (this.stop.await(delay)) {
					return false;
				}
			}
		}
		return false;
	}

	/**
	 * Has the tables' older streams read to their end in turn: their shards get a processor of their table,
	 * and a thread of its own goes on to each table's next stream once one is read to its end (checked every
	 * second, until every table reads its current stream).
	 * @param older each table's older streams, by its current stream, as the lease table preparation found them
	 */
	private void readOlderStreamsFirst(Map<String, List<StreamIdentifier>> older) {
		Map<SharedTableConsumer, List<StreamIdentifier>> pending = new LinkedHashMap<>();
		older.forEach((stream, toRead) -> {
			if (!toRead.isEmpty()) {
				SharedTableConsumer table = this.tables.get(stream);
				toRead.forEach((olderStream) -> this.tablesOfOlderStreams.put(olderStream.serialize(), table));
				pending.put(table, new ArrayList<>(toRead));
			}
		});
		if (!pending.isEmpty()) {
			Thread thread = new Thread(() -> goOnToNewerStreams(pending),
					"dynamo-trigger-" + this.leaseTable + "-older-streams");
			thread.setDaemon(true);
			thread.start();
		}
	}

	private void goOnToNewerStreams(Map<SharedTableConsumer, List<StreamIdentifier>> pending) {
		while (!pending.isEmpty() && !this.stop.await(OLDER_STREAMS_CHECK_MILLIS)) {
			Iterator<Map.Entry<SharedTableConsumer, List<StreamIdentifier>>> tables = pending.entrySet().iterator();
			while (tables.hasNext()) {
				Map.Entry<SharedTableConsumer, List<StreamIdentifier>> table = tables.next();
				List<StreamIdentifier> streams = table.getValue();
				StreamIdentifier oldest = streams.get(0);
				try {
					LeaseRefresher leases = this.scheduler.leaseRefresher();
					if (this.olderStreams.readToTheEnd(oldest, leases)) {
						// The next stream's leases first, then the old ones gone: a restart in between goes on.
						LeaseTablePreparation.syncFromTheOldest(this.scheduler,
								(streams.size() > 1) ? streams.get(1) : table.getKey().stream().streamIdentifier());
						this.olderStreams.deleteLeases(oldest, leases);
						streams.remove(0);
						if (streams.isEmpty()) {
							tables.remove();
						}
					}
				}
				catch (Exception ex) {
					log.warn("Could not tell whether older stream {} of table {} is read to its end; asking again",
							oldest, table.getKey().table(), ex);
				}
			}
		}
	}

	/**
	 * Stops gracefully, as a table's own consumer does: no record starts after this call, each shard gives
	 * its batch triggers their last call, checkpoints and hands its lease back; cut short at three quarters of
	 * the shutdown timeout.
	 */
	synchronized void stop() {
		if (this.thread == null) {
			return;
		}
		this.stop.stop();
		long start = System.nanoTime();
		long deadline = start + this.shutdownTimeout.toNanos();
		if (this.state == TriggerState.STARTING) {
			this.thread.interrupt();
			this.scheduler.shutdown();
		}
		else {
			SchedulerShutdown.gracefully(this.scheduler, "lease table " + this.leaseTable,
					"dynamo-trigger-" + this.leaseTable + "-shutdown", this.shutdownTimeout.multipliedBy(3).dividedBy(4));
		}
		try {
			this.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.thread.isAlive()) {
			log.warn("The shared KCL application {} has not ended within {}; it ends in the background",
					this.leaseTable, this.shutdownTimeout);
		}
		this.thread = null;
		this.state = TriggerState.STOPPED;
		log.info("Stopped the shared KCL application {} in {} ms", this.leaseTable,
				TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
	}

	TriggerState state() {
		return this.state;
	}

	/**
	 * Returns the leases this instance holds, of all tables.
	 */
	List<Lease> assignments() {
		Scheduler current = this.scheduler;
		return (current != null) ? List.copyOf(current.leaseCoordinator().getAssignments()) : List.of();
	}

	/**
	 * Gives each leased shard a processor of its stream's table.
	 */
	private final class Processors implements ShardRecordProcessorFactory {

		/**
		 * Asked only by the adapter, once, to check the processors' type.
		 */
		@Override
		public ShardRecordProcessor shardRecordProcessor() {
			return new FormerStreamProcessor(SharedKclApplication.this.leaseTable, "?");
		}

		@Override
		public ShardRecordProcessor shardRecordProcessor(StreamIdentifier stream) {
			SharedTableConsumer table = SharedKclApplication.this.tables.get(stream.serialize());
			if (table == null) {
				table = SharedKclApplication.this.tablesOfOlderStreams.get(stream.serialize());
			}
			return (table != null) ? table.processor()
					: new FormerStreamProcessor(SharedKclApplication.this.leaseTable, stream.serialize());
		}

	}

}
