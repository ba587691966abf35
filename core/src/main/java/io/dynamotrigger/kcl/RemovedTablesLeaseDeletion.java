package io.dynamotrigger.kcl;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.common.StreamIdentifier;
import software.amazon.kinesis.leases.LeaseRefresher;
import software.amazon.kinesis.leases.MultiStreamLease;
import software.amazon.kinesis.processor.FormerStreamsLeasesDeletionStrategy.ProvidedStreamsDeferredDeletionStrategy;

/**
 * Has KCL delete the leases of tables the shared application no longer triggers (removed between
 * deployments) from the shared lease table, when the application is so configured: KCL's leader asks for
 * them at each of its stream checks (every minute, the first a minute after the start) and deletes a
 * stream's leases once it was named for the wait period. Streams of triggered tables are never named, also not
 * an older stream of one that is still read to its end. Without it (the default) such leases stay, with their
 * checkpoints, and KCL keeps taking them (our {@link FormerStreamProcessor} neither calls nor checkpoints).
 */
public final class RemovedTablesLeaseDeletion extends ProvidedStreamsDeferredDeletionStrategy {

	private static final Logger log = LoggerFactory.getLogger(RemovedTablesLeaseDeletion.class);

	private final Set<String> tables;

	private final Duration waitPeriod;

	private final Supplier<LeaseRefresher> leases;

	/** The removed tables last logged: the leader asks every minute, the log says it when they change. */
	private List<String> logged = List.of();

	/**
	 * Creates the strategy.
	 * @param tables the tables the application triggers
	 * @param waitPeriod how long a removed table's stream is named before its leases are deleted
	 * @param leases the shared lease table, once the scheduler is created
	 */
	public RemovedTablesLeaseDeletion(Set<String> tables, Duration waitPeriod, Supplier<LeaseRefresher> leases) {
		this.tables = Set.copyOf(tables);
		this.waitPeriod = waitPeriod;
		this.leases = leases;
	}

	@Override
	public List<StreamIdentifier> streamIdentifiersForLeaseCleanup() {
		try {
			List<StreamIdentifier> removed = this.leases.get()
				.listLeases()
				.stream()
				.filter(MultiStreamLease.class::isInstance)
				.map((lease) -> ((MultiStreamLease) lease).streamIdentifier())
				.distinct()
				.map(StreamIdentifier::multiStreamInstance)
				.filter((stream) -> !this.tables.contains(OlderStreams.streamArnOf(stream).tableName()))
				.toList();
			List<String> tables = removed.stream()
				.map((stream) -> OlderStreams.streamArnOf(stream).tableName())
				.distinct()
				.toList();
			if (!tables.isEmpty() && !tables.equals(this.logged)) {
				log.info("The lease table holds leases of tables no longer triggered, deleted {} after they were"
						+ " first found: {}", this.waitPeriod, tables);
			}
			this.logged = tables;
			return removed;
		}
		catch (Exception ex) {
			log.warn("Could not list the leases of tables no longer triggered; asking again at the next check", ex);
			return List.of();
		}
	}

	@Override
	public Duration waitPeriodToDeleteFormerStreams() {
		return this.waitPeriod;
	}

}
