package io.dynamotrigger.kcl.polling;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.dynamotrigger.config.PollingMode;
import io.dynamotrigger.config.PollingSettings;
import io.dynamotrigger.metrics.TriggerMetrics;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.kinesis.retrieval.GetRecordsResponseAdapter;
import software.amazon.kinesis.retrieval.GetRecordsRetrievalStrategy;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.polling.KinesisDataFetcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ShardReadPacerTests {

	private final ScriptedReads reads = new ScriptedReads();

	private final ShardReadCounters running = new ShardReadCounters(TriggerMetrics.NONE);

	private long nanos = 5_000_000_000L;

	private final ShardReadPacer pacer = new ShardReadPacer(this.reads,
			PollingPolicy.forShard(
					new PollingSettings(PollingMode.ADAPTIVE, Duration.ofMillis(250), Duration.ofMillis(250))),
			new ShardReadCounter("Reviews", "shard-1", TriggerMetrics.NONE),
			this.running, () -> this.nanos);

	@Test
	void readsAgainAtOnceAfterAReadWithRecords() {
		this.reads.then(records(3));

		this.pacer.getRecordsAdapter(1000);

		assertThat(this.pacer.getSleepTimeMillis(null)).isZero();
	}

	@Test
	void thePauseAfterAnEmptyReadCountsFromTheEndOfThatRead() {
		this.reads.then(records(0)).then(records(0));
		this.pacer.getRecordsAdapter(1000);
		this.pacer.getRecordsAdapter(1000);

		assertThat(this.pacer.getSleepTimeMillis(null)).isEqualTo(10);
		advanceMillis(4);
		assertThat(this.pacer.getSleepTimeMillis(null)).isEqualTo(6);
		advanceMillis(7);
		assertThat(this.pacer.getSleepTimeMillis(null)).isZero();
	}

	@Test
	void aThrottledReadIsCountedPassedOnAndBackedOffFrom() {
		this.reads.then(() -> {
			throw ProvisionedThroughputExceededException.builder().message("Rate exceeded").build();
		});

		assertThatExceptionOfType(ProvisionedThroughputExceededException.class)
			.isThrownBy(() -> this.pacer.getRecordsAdapter(1000));

		assertThat(this.pacer.getSleepTimeMillis(null)).isEqualTo(250);
		assertThat(onlyShard().throttledReads()).isEqualTo(1);
		assertThat(onlyShard().failedReads()).isEqualTo(1);
	}

	@Test
	void anyOtherFailedReadIsCountedAsFailedNotThrottled() {
		this.reads.then(() -> {
			throw SdkClientException.create("connection refused");
		});

		assertThatExceptionOfType(SdkClientException.class).isThrownBy(() -> this.pacer.getRecordsAdapter(1000));

		assertThat(this.pacer.getSleepTimeMillis(null)).isEqualTo(250);
		assertThat(onlyShard().failedReads()).isEqualTo(1);
		assertThat(onlyShard().throttledReads()).isZero();
	}

	@Test
	void countsCallsAndEmptyReadsOfTheShard() {
		this.reads.then(records(2)).then(records(0)).then(records(0)).then(records(1));
		for (int i = 0; i < 4; i++) {
			this.pacer.getRecordsAdapter(1000);
		}

		PollingStats.ShardReads shard = onlyShard();
		assertThat(shard.table()).isEqualTo("Reviews");
		assertThat(shard.shardId()).isEqualTo("shard-1");
		assertThat(shard.calls()).isEqualTo(4);
		assertThat(shard.emptyReads()).isEqualTo(2);
		assertThat(shard.emptyReadRatio()).isEqualTo(0.5);
	}

	@Test
	void theShardIsListedFromItsFirstReadUntilItsReaderShutsDown() {
		assertThat(this.running.shards()).isEmpty();
		this.reads.then(records(0));
		this.pacer.getRecordsAdapter(1000);
		assertThat(this.running.shards()).hasSize(1);

		this.pacer.shutdown();

		assertThat(this.running.shards()).isEmpty();
		assertThat(this.pacer.isShutdown()).isTrue();
	}

	private PollingStats.ShardReads onlyShard() {
		assertThat(this.running.shards()).hasSize(1);
		return this.running.shards().get(0);
	}

	private void advanceMillis(long millis) {
		this.nanos += TimeUnit.MILLISECONDS.toNanos(millis);
	}

	private static Supplier<GetRecordsResponseAdapter> records(int count) {
		List<KinesisClientRecord> records = Collections.nCopies(count, KinesisClientRecord.builder().build());
		return () -> new Response(records);
	}

	/**
	 * The reads KCL's synchronous retrieval would make, each answering with the next scripted response.
	 */
	private static final class ScriptedReads implements GetRecordsRetrievalStrategy {

		private final Deque<Supplier<GetRecordsResponseAdapter>> responses = new ArrayDeque<>();

		ScriptedReads then(Supplier<GetRecordsResponseAdapter> response) {
			this.responses.add(response);
			return this;
		}

		@Override
		public GetRecordsResponseAdapter getRecordsAdapter(int maxRecords) {
			return this.responses.remove().get();
		}

		@Override
		@Deprecated
		public GetRecordsResponse getRecords(int maxRecords) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void shutdown() {
		}

		@Override
		public boolean isShutdown() {
			return false;
		}

		@Override
		@Deprecated
		public KinesisDataFetcher getDataFetcher() {
			throw new UnsupportedOperationException();
		}

	}

	private record Response(List<KinesisClientRecord> records) implements GetRecordsResponseAdapter {

		@Override
		public Long millisBehindLatest() {
			return null;
		}

		@Override
		public List<ChildShard> childShards() {
			return List.of();
		}

		@Override
		public String nextShardIterator() {
			return "next";
		}

		@Override
		public String requestId() {
			return "request";
		}

	}

}
