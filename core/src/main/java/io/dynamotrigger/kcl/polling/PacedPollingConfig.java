package io.dynamotrigger.kcl.polling;

import com.amazonaws.services.dynamodbv2.streamsadapter.AmazonDynamoDBStreamsAdapterClient;
import com.amazonaws.services.dynamodbv2.streamsadapter.StreamsSchedulerFactory;
import com.amazonaws.services.dynamodbv2.streamsadapter.polling.DynamoDBStreamsPollingConfig;
import io.dynamotrigger.config.PollingMode;
import java.util.function.Function;

import io.dynamotrigger.config.PollingSettings;
import io.dynamotrigger.kcl.threads.ShardThreads;
import software.amazon.kinesis.common.StreamIdentifier;
import software.amazon.kinesis.retrieval.RetrievalFactory;

/**
 * The adapter's polling configuration, reading with our {@link PollingSettings}.
 *
 * <p>{@link StreamsSchedulerFactory#createScheduler} sets its own data fetcher and its own sleep-time
 * controller on the configuration it is given, whatever was set before. The data fetcher is kept; the
 * controller is never asked for: {@link #retrievalFactory()} gives each shard's reader a
 * {@link ShardReadPacer} of its own, and lets it read one batch ahead of the record processor.
 */
public final class PacedPollingConfig extends DynamoDBStreamsPollingConfig {

	static final int PREFETCHED_BATCHES = 1;

	private final Function<StreamIdentifier, TablePolling> tables;

	private final ShardReadCounters counters;

	/** The application's threads, or {@code null} for KCL's prefetching reader. */
	private final ShardThreads threads;

	/**
	 * Creates the configuration of a table's stream.
	 * @param streamArn the stream
	 * @param adapter the adapter client that reads it
	 * @param table the table name, for the read counters
	 * @param settings how the shards are polled
	 * @param counters where each shard's reads are counted
	 */
	public PacedPollingConfig(String streamArn, AmazonDynamoDBStreamsAdapterClient adapter, String table,
			PollingSettings settings, ShardReadCounters counters) {
		super(streamArn, adapter);
		TablePolling polling = new TablePolling(table, settings);
		this.tables = (stream) -> polling;
		this.counters = counters;
		this.threads = null;
		idleTimeBetweenReadsInMillis(longestPause(settings));
	}

	/**
	 * Creates the configuration of KCL's multi-stream mode, which names no stream: each shard's reader is
	 * paced as the table of its stream says.
	 * @param adapter the adapter client that reads the streams
	 * @param tables the table and polling settings of each stream the scheduler reads, also of a stream it
	 * reads though it no longer tracks it (a former stream whose leases are still in the lease table)
	 * @param shortestPause the shortest of the tables' longest pauses between two reads
	 * @param counters where each shard's reads are counted
	 * @param threads the application's threads, which read every shard (no thread per shard)
	 */
	public PacedPollingConfig(AmazonDynamoDBStreamsAdapterClient adapter,
			Function<StreamIdentifier, TablePolling> tables, long shortestPause, ShardReadCounters counters,
			ShardThreads threads) {
		super(adapter);
		this.tables = tables;
		this.counters = counters;
		this.threads = threads;
		idleTimeBetweenReadsInMillis(shortestPause);
	}

	/**
	 * Returns the longest pause between two reads of a shard at rest with the given settings. KCL also uses
	 * the idle time between reads to bound its waits for a full prefetch queue, in either mode.
	 * @param settings how the shard is polled
	 * @return the pause in milliseconds
	 */
	public static long longestPause(PollingSettings settings) {
		return (settings.mode() == PollingMode.FIXED) ? settings.fixedInterval().toMillis()
				: settings.restInterval().toMillis();
	}

	@Override
	public RetrievalFactory retrievalFactory() {
		if (dataFetcherProvider() == null) {
			throw new IllegalStateException("The DynamoDB Streams data fetcher is missing: create the scheduler"
					+ " with StreamsSchedulerFactory.createScheduler, which sets it");
		}
		recordsFetcherFactory().idleMillisBetweenCalls(idleTimeBetweenReadsInMillis());
		// One batch read ahead, not KCL's three: while records flow, small batches queued behind each other
		// each wait for the one before to be handled and checkpointed (measured: burst p50 32 -> 18 ms); the
		// next read then takes all that arrived meanwhile in one batch.
		recordsFetcherFactory().maxPendingProcessRecordsInput(PREFETCHED_BATCHES);
		return new PacedRetrievalFactory(this.tables, this.counters, recordsFetcherFactory(),
				dataFetcherProvider(), maxRecords(), kinesisRequestTimeout(), this.threads);
	}

}
