package io.dynamotrigger.kcl.polling;

import java.time.Duration;
import java.util.function.Function;

import io.dynamotrigger.kcl.threads.ShardThreads;

import software.amazon.kinesis.common.StreamConfig;
import software.amazon.kinesis.common.StreamIdentifier;
import software.amazon.kinesis.leases.ShardInfo;
import software.amazon.kinesis.metrics.MetricsFactory;
import software.amazon.kinesis.retrieval.DataFetcherProviderConfig;
import software.amazon.kinesis.retrieval.KinesisDataFetcherProviderConfig;
import software.amazon.kinesis.retrieval.RecordsFetcherFactory;
import software.amazon.kinesis.retrieval.RecordsPublisher;
import software.amazon.kinesis.retrieval.RetrievalFactory;
import software.amazon.kinesis.retrieval.polling.DataFetcher;
import software.amazon.kinesis.retrieval.polling.SynchronousGetRecordsRetrievalStrategy;

/**
 * Creates each shard's reader as KCL's polling retrieval does (the adapter's data fetcher, read
 * synchronously, prefetched by KCL's publisher), with a {@link ShardReadPacer} of its own in place of the
 * one sleep-time controller KCL would share between all shards. Each shard is paced as its stream's table
 * says, so that one scheduler reading several tables' streams still polls each table as configured.
 *
 * <p>Given the application's {@link ShardThreads}, each shard is read by a {@link PooledShardReader} on them
 * instead of by KCL's prefetching reader and its thread per shard.
 */
public final class PacedRetrievalFactory implements RetrievalFactory {

	private final Function<StreamIdentifier, TablePolling> tables;

	private final ShardReadCounters counters;

	private final RecordsFetcherFactory publishers;

	private final Function<DataFetcherProviderConfig, DataFetcher> dataFetchers;

	private final int maxRecords;

	private final Duration requestTimeout;

	/** The application's threads, or {@code null} for KCL's prefetching reader. */
	private final ShardThreads threads;

	PacedRetrievalFactory(Function<StreamIdentifier, TablePolling> tables, ShardReadCounters counters,
			RecordsFetcherFactory publishers, Function<DataFetcherProviderConfig, DataFetcher> dataFetchers,
			int maxRecords, Duration requestTimeout, ShardThreads threads) {
		this.tables = tables;
		this.counters = counters;
		this.publishers = publishers;
		this.dataFetchers = dataFetchers;
		this.maxRecords = maxRecords;
		this.requestTimeout = requestTimeout;
		this.threads = threads;
	}

	@Override
	public RecordsPublisher createGetRecordsCache(ShardInfo shardInfo, StreamConfig streamConfig,
			MetricsFactory metricsFactory) {
		return createGetRecordsCache(shardInfo, streamConfig, metricsFactory, "");
	}

	@Override
	public RecordsPublisher createGetRecordsCache(ShardInfo shardInfo, StreamConfig streamConfig,
			MetricsFactory metricsFactory, String consumerId) {
		DataFetcher fetcher = this.dataFetchers.apply(new KinesisDataFetcherProviderConfig(
				streamConfig.streamIdentifier(), shardInfo.shardId(), metricsFactory, this.maxRecords,
				this.requestTimeout, consumerId));
		TablePolling table = this.tables.apply(streamConfig.streamIdentifier());
		ShardReadPacer pacer = new ShardReadPacer(new SynchronousGetRecordsRetrievalStrategy(fetcher),
				PollingPolicy.forShard(table.settings()), this.counters.counter(table.table(), shardInfo.shardId()),
				this.counters, System::nanoTime);
		if (this.threads != null) {
			return new PooledShardReader(pacer, this.maxRecords, this.threads.timer(), this.threads.reads(),
					streamConfig.streamIdentifier().serialize() + ":" + shardInfo.shardId());
		}
		return this.publishers.createRecordsFetcher(pacer, shardInfo.shardId(), metricsFactory, this.maxRecords,
				pacer);
	}

}
