package io.dynamotrigger.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.dynamotrigger.listener.LastShardEnd.ShardEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

/**
 * Tells, for one table consumer that holds no shard after a shard of its table ended on this instance, which
 * shards of the stream wait for a worker: leases that are not at {@code SHARD_END} and that no worker holds.
 * When the parent ends, KCL creates the leases of its child shards without an owner, and KCL's leader
 * assigns them to workers; while nobody takes them, the records of the children wait.
 *
 * <p>Reads the lease table only while its consumer is idle after a shard end: one Scan (each page bounded at
 * 2 seconds) at most every 5 seconds, however often it is asked. Forgets the
 * end once the ended shard's children all have an owner or are finished. It reads the attributes KCL stores
 * per lease: {@code leaseKey}, {@code leaseOwner}, {@code checkpoint} and {@code parentShardId}.
 */
final class ShardHandOffWatch {

	private static final Logger log = LoggerFactory.getLogger(ShardHandOffWatch.class);

	private static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(5);

	private static final long TIMEOUT_MILLIS = 2_000;

	private static final String SHARD_END = ExtendedSequenceNumber.SHARD_END.sequenceNumber();

	private final DynamoDbAsyncClient dynamoDb;

	private final String leaseTable;

	private List<Lease> leases;

	private long scannedAtNanos;

	ShardHandOffWatch(DynamoDbAsyncClient dynamoDb, String leaseTable) {
		this.dynamoDb = dynamoDb;
		this.leaseTable = leaseTable;
	}

	/**
	 * Returns the hand-off after the consumer's last shard end.
	 * @param lastEnd the consumer's last shard end
	 * @param holdsShards whether the consumer holds a shard now
	 * @return the ended shard and the shards waiting for a worker; {@code null} when no shard ended since the
	 * consumer last took one, when it holds a shard, when the ended shard's children have all been taken, or
	 * when the lease table could not be read (the lease-table probe reports that)
	 */
	synchronized ShardHandOff handOff(LastShardEnd lastEnd, boolean holdsShards) {
		ShardEnd end = lastEnd.get();
		if (end == null || holdsShards) {
			return null;
		}
		List<Lease> leases = leases();
		if (leases == null) {
			return null;
		}
		List<Lease> children = leases.stream().filter((lease) -> lease.parents().contains(end.shardId())).toList();
		if (!children.isEmpty() && children.stream().noneMatch(Lease::isWaiting)) {
			lastEnd.handedOff(end);
			return null;
		}
		return new ShardHandOff(end.shardId(), end.endedAt(),
				leases.stream().filter(Lease::isWaiting).map(Lease::key).sorted().toList());
	}

	private List<Lease> leases() {
		long now = System.nanoTime();
		if (this.leases == null || now - this.scannedAtNanos >= CACHE_NANOS) {
			this.leases = scan();
			this.scannedAtNanos = now;
		}
		return this.leases;
	}

	private List<Lease> scan() {
		List<Lease> leases = new ArrayList<>();
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
			return leases;
		}
		catch (ExecutionException | TimeoutException ex) {
			log.warn("Could not read lease table {} to see whether shards wait for a worker", this.leaseTable, ex);
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/**
	 * A lease as KCL stores it, reduced to what tells whether its shard waits for a worker.
	 */
	private record Lease(String key, String owner, String checkpoint, List<String> parents) {

		static Lease of(Map<String, AttributeValue> item) {
			AttributeValue parents = item.get("parentShardId");
			return new Lease(string(item, "leaseKey"), string(item, "leaseOwner"), string(item, "checkpoint"),
					(parents != null && parents.hasSs()) ? parents.ss() : List.of());
		}

		private static String string(Map<String, AttributeValue> item, String name) {
			AttributeValue value = item.get(name);
			return (value != null) ? value.s() : null;
		}

		boolean isWaiting() {
			return (this.owner == null || this.owner.isEmpty()) && !SHARD_END.equals(this.checkpoint);
		}

	}

}
