package io.dynamotrigger.kcl;

import com.amazonaws.services.dynamodbv2.streamsadapter.util.KinesisMapperUtil;
import io.dynamotrigger.config.TableConsumerSettings;
import software.amazon.kinesis.common.StreamIdentifier;

/**
 * One table's stream as the shared KCL application (multi-stream mode) reads it.
 *
 * @param table the table
 * @param streamArn its stream
 * @param settings how it is read: its starting position and polling (its lease table and failover time are
 * the shared application's)
 * @param perTableLeaseTable the table's lease table in per-table mode, whose checkpoints the shared
 * application carries over when it reads the stream for the first time
 */
public record SharedStream(String table, String streamArn, TableConsumerSettings settings, String perTableLeaseTable) {

	/**
	 * Returns the identifier KCL gives the stream in multi-stream mode:
	 * {@code account:region$account$table$label:1}, the adapter's form of a DynamoDB stream ARN.
	 * @return the stream identifier
	 */
	public StreamIdentifier streamIdentifier() {
		return identifierOf(this.streamArn);
	}

	/**
	 * Returns what the keys of the stream's leases start with: KCL keys a lease in multi-stream mode
	 * {@code <stream identifier>:<shard id>}.
	 * @return the lease key prefix
	 */
	public String leaseKeyPrefix() {
		return streamIdentifier().serialize() + ":";
	}

	/**
	 * Returns the identifier KCL gives a stream in multi-stream mode.
	 * @param streamArn the DynamoDB stream ARN
	 * @return the stream identifier
	 */
	public static StreamIdentifier identifierOf(String streamArn) {
		return StreamIdentifier.multiStreamInstance(
				KinesisMapperUtil.createKinesisStreamIdentifierFromDynamoDBStreamsArn(streamArn, true));
	}

}
