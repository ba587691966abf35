package io.dynamotrigger.kcl.polling;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.kinesis.retrieval.GetRecordsResponseAdapter;
import software.amazon.kinesis.retrieval.GetRecordsRetrievalStrategy;
import software.amazon.kinesis.retrieval.polling.DataFetcher;
import software.amazon.kinesis.retrieval.polling.KinesisDataFetcher;
import software.amazon.kinesis.retrieval.polling.SleepTimeController;
import software.amazon.kinesis.retrieval.polling.SleepTimeControllerConfig;

/**
 * Paces the GetRecords calls on one shard. KCL's prefetching reader makes each read through
 * {@link #getRecordsAdapter} and asks {@link #getSleepTimeMillis} how long to wait before the next one;
 * the pause is the shard's {@link PollingPolicy} decision on the last read's outcome, counted from the end
 * of that read. Every read is counted; the counter is listed among the running ones from the first read
 * until the reader shuts down.
 *
 * <p>The reader calls these methods one at a time: KCL's prefetching reader from its one thread, the
 * {@link PooledShardReader} from the pool's threads, never two reads at once. KCL's own view of the last read (the
 * {@link SleepTimeControllerConfig}) is not used: it cannot tell a throttled read from another failure.
 */
final class ShardReadPacer implements GetRecordsRetrievalStrategy, SleepTimeController {

	private final GetRecordsRetrievalStrategy reads;

	private final PollingPolicy policy;

	private final ShardReadCounter counter;

	private final ShardReadCounters running;

	private final LongSupplier nanoClock;

	private boolean listed;

	private long nextReadAt;

	private volatile boolean shutdown;

	ShardReadPacer(GetRecordsRetrievalStrategy reads, PollingPolicy policy, ShardReadCounter counter,
			ShardReadCounters running, LongSupplier nanoClock) {
		this.reads = reads;
		this.policy = policy;
		this.counter = counter;
		this.running = running;
		this.nanoClock = nanoClock;
	}

	@Override
	public GetRecordsResponseAdapter getRecordsAdapter(int maxRecords) {
		if (!this.listed) {
			this.running.add(this.counter);
			this.listed = true;
		}
		GetRecordsResponseAdapter response;
		try {
			response = this.reads.getRecordsAdapter(maxRecords);
		}
		catch (ProvisionedThroughputExceededException ex) {
			ended(ReadOutcome.THROTTLED);
			throw ex;
		}
		catch (RuntimeException ex) {
			ended(ReadOutcome.FAILED);
			throw ex;
		}
		ended(response.records().isEmpty() ? ReadOutcome.EMPTY : ReadOutcome.RECORDS);
		return response;
	}

	private void ended(ReadOutcome outcome) {
		this.counter.count(outcome);
		this.nextReadAt = this.nanoClock.getAsLong()
				+ TimeUnit.MILLISECONDS.toNanos(this.policy.delayAfter(outcome));
	}

	@Override
	public long getSleepTimeMillis(SleepTimeControllerConfig ignored) {
		return millisUntilNextRead();
	}

	/**
	 * Returns how long to wait before the next read: what the policy said after the last read, less the time
	 * since it ended.
	 * @return the wait in milliseconds, 0 when the read is due
	 */
	long millisUntilNextRead() {
		long remaining = this.nextReadAt - this.nanoClock.getAsLong();
		return (remaining > 0) ? TimeUnit.NANOSECONDS.toMillis(remaining + TimeUnit.MILLISECONDS.toNanos(1) - 1) : 0;
	}

	@Override
	public void shutdown() {
		this.shutdown = true;
		this.running.remove(this.counter);
		this.reads.shutdown();
	}

	@Override
	public boolean isShutdown() {
		return this.shutdown;
	}

	@Override
	public DataFetcher dataFetcher() {
		return this.reads.dataFetcher();
	}

	@Override
	@Deprecated
	public GetRecordsResponse getRecords(int maxRecords) {
		return this.reads.getRecords(maxRecords);
	}

	@Override
	@Deprecated
	public KinesisDataFetcher getDataFetcher() {
		return this.reads.getDataFetcher();
	}

}
