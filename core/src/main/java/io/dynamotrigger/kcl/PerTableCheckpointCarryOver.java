package io.dynamotrigger.kcl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.dynamotrigger.config.StreamArn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.kinesis.leases.Lease;
import software.amazon.kinesis.leases.LeaseRefresher;
import software.amazon.kinesis.leases.MultiStreamLease;
import software.amazon.kinesis.leases.dynamodb.DynamoDBLeaseSerializer;
import software.amazon.kinesis.leases.exceptions.DependencyException;
import software.amazon.kinesis.leases.exceptions.InvalidStateException;
import software.amazon.kinesis.leases.exceptions.ProvisionedThroughputException;

/**
 * Carries a table's checkpoints from the lease table of its own KCL application (per-table mode) into the
 * lease table of the shared application, when the shared application reads the table's stream for the first
 * time. Without it, an application moved to the shared mode would start each table over at its starting
 * position: read everything again from the oldest record, or skip what was written while it was down with
 * LATEST.
 *
 * <p>Each shard's lease is copied with its checkpoint, parents and children, under its multi-stream key and
 * with no owner; conditional writes keep instances that start together from copying twice. Only leases of
 * the stream the per-table lease table is bound to are copied: the checkpoints of an older stream of the
 * table are no use on the current one. The per-table lease table itself is left as it is.
 */
public final class PerTableCheckpointCarryOver {

	private static final Logger log = LoggerFactory.getLogger(PerTableCheckpointCarryOver.class);

	private final DynamoDbAsyncClient dynamoDb;

	private final StreamCheckpointGuard guard;

	private final DynamoDBLeaseSerializer perTableLeases = new DynamoDBLeaseSerializer();

	/**
	 * Creates the carry-over.
	 * @param dynamoDb the client that reads the per-table lease tables
	 * @param guard tells which stream a per-table lease table is bound to
	 */
	public PerTableCheckpointCarryOver(DynamoDbAsyncClient dynamoDb, StreamCheckpointGuard guard) {
		this.dynamoDb = dynamoDb;
		this.guard = guard;
	}

	/**
	 * Copies the stream's checkpoints from the table's per-table lease table unless the shared lease table
	 * already has leases of the stream.
	 * @param stream the table's stream as the shared application reads it
	 * @param sharedLeases the shared application's lease table, initialized
	 * @return whether the shared lease table holds leases of the stream now (it was read before, here or in
	 * the per-table mode)
	 * @throws DependencyException if the shared lease table cannot be read or written
	 * @throws InvalidStateException if the shared lease table does not exist
	 * @throws ProvisionedThroughputException if the shared lease table refuses a request
	 */
	boolean carryOver(SharedStream stream, LeaseRefresher sharedLeases)
			throws DependencyException, InvalidStateException, ProvisionedThroughputException {
		if (!sharedLeases.listLeasesForStream(stream.streamIdentifier()).isEmpty()) {
			return true;
		}
		String perTableLeaseTable = stream.perTableLeaseTable();
		String boundLabel = this.guard.boundLabel(perTableLeaseTable);
		if (boundLabel == null) {
			return false;
		}
		String label = StreamArn.parse(stream.streamArn()).label();
		if (!label.equals(boundLabel)) {
			log.warn("Lease table {} of table {} in per-table mode holds checkpoints of its older stream {}, not of its"
					+ " stream {}: they are not carried over, and the shared KCL application reads the stream from"
					+ " its starting position", perTableLeaseTable, stream.table(), boundLabel, label);
			return false;
		}
		String streamIdentifier = stream.streamIdentifier().serialize();
		int copied = 0;
		for (Map<String, AttributeValue> item : items(perTableLeaseTable)) {
			if (sharedLeases.createLeaseIfNotExists(toShared(this.perTableLeases.fromDynamoRecord(item),
					streamIdentifier))) {
				copied++;
			}
		}
		log.info("Carried {} checkpoints of table {} over from its per-table lease table {}", copied, stream.table(),
				perTableLeaseTable);
		return true;
	}

	private List<Map<String, AttributeValue>> items(String leaseTable) {
		List<Map<String, AttributeValue>> items = new ArrayList<>();
		Map<String, AttributeValue> start = null;
		do {
			Map<String, AttributeValue> exclusiveStart = start;
			var page = this.dynamoDb
				.scan((request) -> request.tableName(leaseTable).consistentRead(true).exclusiveStartKey(exclusiveStart))
				.join();
			items.addAll(page.items());
			start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
		}
		while (start != null);
		return items;
	}

	private static MultiStreamLease toShared(Lease perTable, String streamIdentifier) {
		MultiStreamLease lease = new MultiStreamLease();
		lease.leaseKey(MultiStreamLease.getLeaseKey(streamIdentifier, perTable.leaseKey()));
		lease.streamIdentifier(streamIdentifier);
		lease.shardId(perTable.leaseKey());
		lease.checkpoint(perTable.checkpoint());
		lease.parentShardIds(perTable.parentShardIds());
		lease.childShardIds(perTable.childShardIds());
		lease.hashKeyRange(perTable.hashKeyRangeForLease());
		lease.leaseCounter(0L);
		lease.ownerSwitchesSinceCheckpoint(0L);
		return lease;
	}

}
