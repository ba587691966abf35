package io.dynamotrigger.lease;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

/**
 * The leases of one table consumer as last read from its lease table: one Scan (each page bounded at 2
 * seconds) at most every 5 seconds, however often it is asked and by however many watches. It reads the
 * attributes KCL stores per lease: {@code leaseKey}, {@code leaseOwner}, {@code leaseCounter},
 * {@code checkpoint} and {@code parentShardId}.
 *
 * <p>A read that fails tells that the lease table does not answer. KCL renews leases and checkpoints there;
 * when it does not answer (an outage, missing permissions, the table deleted) the consumer soon holds no lease,
 * which by itself looks like an instance that simply owns no shard.
 */
public final class LeaseTableScan {

	private static final Logger log = LoggerFactory.getLogger(LeaseTableScan.class);

	private static final Duration CACHE = Duration.ofSeconds(5);

	private static final long TIMEOUT_MILLIS = 2_000;

	private static final String SHARD_END = ExtendedSequenceNumber.SHARD_END.sequenceNumber();

	private final DynamoDbAsyncClient dynamoDb;

	private final String leaseTable;

	private final Clock clock;

	/** The scan of the whole lease table that this one takes one stream's leases from, or {@code null}. */
	private final LeaseTableScan whole;

	private final String leaseKeyPrefix;

	private Instant readAt;

	private Leases last;

	private String problem;

	/**
	 * Creates the scan of a lease table.
	 * @param dynamoDb the client that reads it
	 * @param leaseTable the lease table
	 * @param clock the clock that times the reads
	 */
	public LeaseTableScan(DynamoDbAsyncClient dynamoDb, String leaseTable, Clock clock) {
		this(dynamoDb, leaseTable, clock, null, "");
	}

	private LeaseTableScan(DynamoDbAsyncClient dynamoDb, String leaseTable, Clock clock, LeaseTableScan whole,
			String leaseKeyPrefix) {
		this.dynamoDb = dynamoDb;
		this.leaseTable = leaseTable;
		this.clock = clock;
		this.whole = whole;
		this.leaseKeyPrefix = leaseKeyPrefix;
	}

	/**
	 * Returns the leases of one stream of a lease table that KCL's multi-stream mode shares between streams,
	 * read by this scan: the leases whose key starts with the stream's prefix, keyed by their shard id.
	 * @param leaseKeyPrefix what the keys of the stream's leases start with
	 * @return a scan of the stream's leases
	 */
	public LeaseTableScan stream(String leaseKeyPrefix) {
		return new LeaseTableScan(this.dynamoDb, this.leaseTable, this.clock, this, leaseKeyPrefix);
	}

	/**
	 * Returns the leases from a recent read.
	 * @return the leases and when they were read, or {@code null} when the lease table could not be read
	 * ({@link #problem()} tells why)
	 */
	Leases leases() {
		if (this.whole != null) {
			Leases all = this.whole.leases();
			return (all != null) ? new Leases(all.readAt(), all.leases()
				.stream()
				.filter((lease) -> lease.key() != null && lease.key().startsWith(this.leaseKeyPrefix))
				.map((lease) -> lease.withKey(lease.key().substring(this.leaseKeyPrefix.length())))
				.toList()) : null;
		}
		synchronized (this) {
			read();
			return this.last;
		}
	}

	/**
	 * Returns what is wrong with the lease table, from a recent read.
	 * @return the problem, or {@code null} when the table answered
	 */
	public String problem() {
		if (this.whole != null) {
			return this.whole.problem();
		}
		synchronized (this) {
			read();
			return this.problem;
		}
	}

	private void read() {
		Instant now = this.clock.instant();
		if (this.readAt != null && !now.isBefore(this.readAt) && now.isBefore(this.readAt.plus(CACHE))) {
			return;
		}
		String previousProblem = this.problem;
		List<Lease> leases = new ArrayList<>();
		this.problem = scan(leases);
		this.last = (this.problem != null) ? null : new Leases(now, leases);
		this.readAt = now;
		if (this.problem != null && previousProblem == null) {
			log.warn("Could not read lease table {}: {}", this.leaseTable, this.problem);
		}
	}

	/**
	 * Scans the lease table into the given list.
	 * @return what went wrong, or {@code null} when the whole table was read
	 */
	private String scan(List<Lease> leases) {
		Map<String, AttributeValue> startKey = null;
		try {
			do {
				Map<String, AttributeValue> from = startKey;
				ScanResponse page = this.dynamoDb.scan((request) -> request.tableName(this.leaseTable)
					.consistentRead(true)
					.exclusiveStartKey(from)).get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
				page.items().forEach((item) -> leases.add(Lease.of(item)));
				startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey()
						: null;
			}
			while (startKey != null);
			return null;
		}
		catch (ExecutionException ex) {
			return "lease table " + this.leaseTable + " unreachable: " + ex.getCause();
		}
		catch (TimeoutException ex) {
			return "lease table " + this.leaseTable + " did not answer within " + TIMEOUT_MILLIS + " ms";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted while reading lease table " + this.leaseTable;
		}
	}

	/**
	 * The leases of a lease table at one moment.
	 * @param readAt when they were read, by the local clock
	 * @param leases the leases
	 */
	record Leases(Instant readAt, List<Lease> leases) {
	}

	/**
	 * A lease as KCL stores it, reduced to what tells who holds it, whether its holder renews it and whether
	 * its shard is finished.
	 * @param key the lease key: the shard id (in a stream's scan of a shared lease table, the key without the
	 * stream's prefix, which is the shard id too)
	 * @param owner the worker holding it, or {@code null}
	 * @param counter KCL's lease counter, which the holder increments on every renewal and a new holder on
	 * taking it
	 * @param checkpoint the checkpoint's sequence number
	 * @param parents the parent shards' ids
	 */
	record Lease(String key, String owner, long counter, String checkpoint, List<String> parents) {

		static Lease of(Map<String, AttributeValue> item) {
			AttributeValue parents = item.get("parentShardId");
			AttributeValue counter = item.get("leaseCounter");
			return new Lease(string(item, "leaseKey"), string(item, "leaseOwner"),
					(counter != null && counter.n() != null) ? Long.parseLong(counter.n()) : 0L,
					string(item, "checkpoint"), (parents != null && parents.hasSs()) ? parents.ss() : List.of());
		}

		private static String string(Map<String, AttributeValue> item, String name) {
			AttributeValue value = item.get(name);
			return (value != null) ? value.s() : null;
		}

		Lease withKey(String key) {
			return new Lease(key, this.owner, this.counter, this.checkpoint, this.parents);
		}

		boolean isHeld() {
			return this.owner != null && !this.owner.isEmpty();
		}

		boolean isFinished() {
			return SHARD_END.equals(this.checkpoint);
		}

		boolean isWaiting() {
			return !isHeld() && !isFinished();
		}

	}

}
