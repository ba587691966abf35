package io.dynamotrigger.kcl;

import java.util.Map;
import java.util.stream.Collectors;

import io.dynamotrigger.config.StreamArn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.kinesis.leases.LeaseRefresher;
import software.amazon.kinesis.leases.exceptions.DependencyException;
import software.amazon.kinesis.leases.exceptions.InvalidStateException;
import software.amazon.kinesis.leases.exceptions.ProvisionedThroughputException;

/**
 * Keeps checkpoints of one stream from being used on another. A lease table is tagged with the label of
 * the stream its leases belong to; when the table's stream changed (the table was deleted and created
 * again, or its stream was replaced), the old leases are deleted so that the consumer starts the new
 * stream at its starting position instead of at a sequence number of the old one.
 */
public final class StreamCheckpointGuard {

	static final String STREAM_LABEL_TAG = "dynamo-trigger:stream-label";

	private static final Logger log = LoggerFactory.getLogger(StreamCheckpointGuard.class);

	private final DynamoDbAsyncClient dynamoDb;

	/**
	 * Creates the guard.
	 * @param dynamoDb the client that reads and tags the lease tables
	 */
	public StreamCheckpointGuard(DynamoDbAsyncClient dynamoDb) {
		this.dynamoDb = dynamoDb;
	}

	/**
	 * Binds a lease table to a stream, deleting leases of any stream it was bound to before.
	 * @param leaseTable the lease table, which exists
	 * @param streamArn the stream the consumer reads now
	 * @param leases KCL's access to the lease table
	 */
	void bind(String leaseTable, String streamArn, LeaseRefresher leases)
			throws DependencyException, InvalidStateException, ProvisionedThroughputException {
		String tableArn = this.dynamoDb.describeTable((request) -> request.tableName(leaseTable)).join().table()
			.tableArn();
		Map<String, String> tags = this.dynamoDb.listTagsOfResource((request) -> request.resourceArn(tableArn))
			.join()
			.tags()
			.stream()
			.collect(Collectors.toMap(Tag::key, Tag::value));
		String label = StreamArn.parse(streamArn).label();
		String boundLabel = tags.get(STREAM_LABEL_TAG);
		if (label.equals(boundLabel)) {
			return;
		}
		if (boundLabel != null) {
			log.warn("The stream of lease table {} changed from {} to {}: deleting its checkpoints of the old stream;"
					+ " the trigger starts the new stream at its starting position", leaseTable, boundLabel, label);
			leases.deleteAll();
		}
		this.dynamoDb.tagResource((request) -> request.resourceArn(tableArn)
			.tags(Tag.builder().key(STREAM_LABEL_TAG).value(label).build())).join();
	}

}
