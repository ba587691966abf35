package io.dynamotrigger.lease;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.dynamotrigger.lease.LeaseTableScan.Lease;
import io.dynamotrigger.lease.LeaseTableScan.Leases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Tells, for one table consumer, which leases of its lease table a worker holds but no longer renews (a
 * worker killed without giving its leases up), and who holds KCL's leader lock, which must have a live
 * holder before such leases are taken over.
 *
 * <p>KCL increments a lease's {@code leaseCounter} on every renewal, and the lock client changes the leader
 * lock's {@code recordVersionNumber} on every heartbeat; neither stores a time. So this watch remembers each
 * value and when, by this instance's clock, it last saw it change: a held, unfinished lease whose counter has
 * not changed for longer than the failover time plus KCL's lease assignment interval is orphaned (a lease
 * KCL's leader has just assigned stands still until its new owner notices it, which may take half that
 * interval, and renews it), and a lock whose version has not changed for longer than its lease duration
 * looks expired. A lease or a lock seen for the first time counts
 * from then. Reads the lease table through the consumer's {@link LeaseTableScan} (at most every 5 seconds),
 * and with each new read the {@code Leader} item of the {@code <lease table>-CoordinatorState} table (one
 * GetItem bounded at 2 seconds).
 */
public final class TakeoverWatch {

	private static final Logger log = LoggerFactory.getLogger(TakeoverWatch.class);

	private static final long TIMEOUT_MILLIS = 2_000;

	private static final Map<String, AttributeValue> LEADER_KEY = Map.of("key", AttributeValue.fromS("Leader"));

	private final LeaseTableScan leaseTable;

	private final DynamoDbAsyncClient dynamoDb;

	private final String coordinatorStateTable;

	private final Duration orphanedAfter;

	private final Map<String, Renewal> leaseRenewals = new HashMap<>();

	private Renewal leaderRenewal;

	private Instant observedAt;

	private Takeover takeover;

	/**
	 * Creates the watch.
	 * @param leaseTable the consumer's lease table
	 * @param dynamoDb reads the leader lock
	 * @param coordinatorStateTable the table of the leader lock
	 * @param orphanedAfter how long a held lease's counter must stand still before the lease counts as
	 * orphaned: the failover time plus KCL's lease assignment interval
	 */
	public TakeoverWatch(LeaseTableScan leaseTable, DynamoDbAsyncClient dynamoDb, String coordinatorStateTable,
			Duration orphanedAfter) {
		this.leaseTable = leaseTable;
		this.dynamoDb = dynamoDb;
		this.coordinatorStateTable = coordinatorStateTable;
		this.orphanedAfter = orphanedAfter;
	}

	/**
	 * Returns the takeover under way, from the latest read of the lease table.
	 * @return the orphaned leases and the leader lock; {@code null} when no lease is orphaned or the lease
	 * table could not be read ({@link LeaseTableScan#problem()} tells why)
	 */
	public synchronized Takeover takeover() {
		Leases read = this.leaseTable.leases();
		if (read == null) {
			return null;
		}
		if (!read.readAt().equals(this.observedAt)) {
			this.takeover = observe(read);
			this.observedAt = read.readAt();
		}
		return this.takeover;
	}

	private Takeover observe(Leases read) {
		Map<String, Renewal> previous = Map.copyOf(this.leaseRenewals);
		this.leaseRenewals.clear();
		for (Lease lease : read.leases()) {
			this.leaseRenewals.put(lease.key(), Renewal.next(previous.get(lease.key()), lease.owner(),
					Long.toString(lease.counter()), read.readAt()));
		}
		LeaderLock leaderLock = leaderLock(read.readAt());
		Instant orphanedBefore = read.readAt().minus(this.orphanedAfter);
		List<OrphanedLease> orphaned = read.leases()
			.stream()
			.filter((lease) -> lease.isHeld() && !lease.isFinished()
					&& this.leaseRenewals.get(lease.key()).since().isBefore(orphanedBefore))
			.map((lease) -> new OrphanedLease(lease.key(), lease.owner(), this.leaseRenewals.get(lease.key()).since()))
			.sorted(Comparator.comparing(OrphanedLease::shardId))
			.toList();
		return orphaned.isEmpty() ? null : new Takeover(orphaned, leaderLock);
	}

	private LeaderLock leaderLock(Instant readAt) {
		Map<String, AttributeValue> item = leaderItem();
		if (item == null) {
			return null;
		}
		if (item.isEmpty()) {
			this.leaderRenewal = null;
			return null;
		}
		String owner = string(item, "ownerName");
		this.leaderRenewal = Renewal.next(this.leaderRenewal, owner, string(item, "recordVersionNumber"), readAt);
		String duration = string(item, "leaseDuration");
		Duration leaseDuration = (duration != null) ? Duration.ofMillis(Long.parseLong(duration)) : Duration.ZERO;
		boolean expired = "1".equals(string(item, "isReleased"))
				|| this.leaderRenewal.since().plus(leaseDuration).isBefore(readAt);
		return new LeaderLock(owner, leaseDuration, this.leaderRenewal.since(), expired);
	}

	/**
	 * Reads the leader lock's item: empty when no worker holds the lock, {@code null} when it could not be
	 * read (what was seen of the lock so far is kept).
	 */
	private Map<String, AttributeValue> leaderItem() {
		try {
			return this.dynamoDb
				.getItem((request) -> request.tableName(this.coordinatorStateTable)
					.key(LEADER_KEY)
					.consistentRead(true))
				.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
				.item();
		}
		catch (ExecutionException | TimeoutException ex) {
			log.debug("Could not read the leader lock from {}", this.coordinatorStateTable, ex);
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	private static String string(Map<String, AttributeValue> item, String name) {
		AttributeValue value = item.get(name);
		if (value == null) {
			return null;
		}
		return (value.s() != null) ? value.s() : value.n();
	}

	/**
	 * The last change seen of something a holder renews by changing a version.
	 */
	private record Renewal(String holder, String version, Instant since) {

		static Renewal next(Renewal previous, String holder, String version, Instant at) {
			boolean unchanged = previous != null && Objects.equals(previous.holder(), holder)
					&& Objects.equals(previous.version(), version);
			return unchanged ? previous : new Renewal(holder, version, at);
		}

	}

}
