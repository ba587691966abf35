package io.dynamotrigger.kcl;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.amazonaws.services.dynamodbv2.streamsadapter.AmazonDynamoDBStreamsAdapterClient;
import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsGetRecordsResponseAdapter;
import com.amazonaws.services.dynamodbv2.streamsadapter.util.AmazonServiceExceptionTransformer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsRequest;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.kinesis.model.EncryptionType;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * The DynamoDB Streams adapter client, with GetRecords run on the thread that asks for records.
 *
 * <p>The adapter runs every GetRecords call with {@code CompletableFuture.supplyAsync} on the common
 * fork-join pool, and its only caller, the shard's prefetch thread, blocks on the result at once. So every
 * shard's reads queued on that shared pool: with one or two CPUs it has a single worker (JDK 17 starts a
 * thread per call when the pool is that small; JDK 25 uses the pool anyway), and any task of the
 * application that blocked a worker stalled all reads. Reading on the prefetch thread does the same work
 * without the hop. Failures still arrive through the returned future, as the caller expects.
 *
 * <p>The response converts its records to KCL's records once, without a JSON copy of each
 * ({@link ConvertedOnce}).
 */
final class CallingThreadAdapterClient extends AmazonDynamoDBStreamsAdapterClient {

	private final DynamoDbStreamsClient streams;

	CallingThreadAdapterClient(DynamoDbStreamsClient streams, Region region) {
		super(streams, region);
		this.streams = streams;
	}

	@Override
	public CompletableFuture<DynamoDBStreamsGetRecordsResponseAdapter> getDynamoDBStreamsRecords(
			GetRecordsRequest request) {
		try {
			return CompletableFuture.completedFuture(new ConvertedOnce(this.streams.getRecords(request)));
		}
		catch (AwsServiceException ex) {
			return CompletableFuture.failedFuture(AmazonServiceExceptionTransformer
				.transformDynamoDBStreamsToKinesisGetRecords(ex, getSkipRecordsBehavior()));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * The adapter's response, with its records converted to KCL's records once, and without a JSON copy of
	 * each. The adapter's response converts every record again on each {@code records()} call (per read, the
	 * adapter's fetcher calls it twice, KCL's prefetcher twice and the shard's read pacer once), and
	 * serializes each record to JSON for KCL's {@code data} field: about 1.8 KB and a Jackson serialization
	 * per record and call. The shard processor reads the SDK record ({@link DynamoDBStreamsClientRecord#getRecord()}),
	 * never that field; KCL reads it once, to look for the header of records aggregated by the Kinesis
	 * Producer Library, which an empty field does not have, as a DynamoDB stream record does not.
	 */
	static final class ConvertedOnce extends DynamoDBStreamsGetRecordsResponseAdapter {

		private final List<KinesisClientRecord> records;

		ConvertedOnce(GetRecordsResponse response) {
			super(response);
			this.records = new ArrayList<>(response.records().size());
			for (Record record : response.records()) {
				this.records.add(new WithoutData(record));
			}
		}

		@Override
		public List<KinesisClientRecord> records() {
			return this.records;
		}

	}

	/**
	 * A stream record as the adapter converts it, but with an empty {@code data} field: one buffer for all
	 * records, read-only and without a byte, so that no reader can change what another reads.
	 */
	static final class WithoutData extends DynamoDBStreamsClientRecord {

		private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

		WithoutData(Record record) {
			super(record.dynamodb().sequenceNumber(), record.dynamodb().approximateCreationDateTime(), EMPTY,
					record.dynamodb().sequenceNumber(), EncryptionType.NONE, 0, null, false, null, record);
		}

	}

}
