package io.dynamotrigger.kcl;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.amazonaws.services.dynamodbv2.streamsadapter.AmazonDynamoDBStreamsAdapterClient;
import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsGetRecordsResponseAdapter;
import com.amazonaws.services.dynamodbv2.streamsadapter.util.AmazonServiceExceptionTransformer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsRequest;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
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
 * <p>The response converts its records to KCL's records once ({@link ConvertedOnce}).
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
	 * The adapter's response, converting its records once. The adapter's response converts every record
	 * again on each {@code records()} call, and serializes each to JSON for KCL's data field while at it;
	 * per read, the adapter's fetcher calls it twice, KCL's prefetcher twice and the shard's read pacer
	 * once. The records are handed to one shard's processor, which reads the data field once, when KCL
	 * checks for aggregated records.
	 */
	static final class ConvertedOnce extends DynamoDBStreamsGetRecordsResponseAdapter {

		private List<KinesisClientRecord> records;

		ConvertedOnce(GetRecordsResponse response) {
			super(response);
		}

		@Override
		public List<KinesisClientRecord> records() {
			if (this.records == null) {
				this.records = super.records();
			}
			return this.records;
		}

	}

}
