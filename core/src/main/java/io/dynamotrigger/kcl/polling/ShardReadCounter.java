package io.dynamotrigger.kcl.polling;

import java.util.concurrent.atomic.AtomicLong;

import io.dynamotrigger.metrics.ReadResult;
import io.dynamotrigger.metrics.TriggerMetrics;

/**
 * Counts one shard reader's GetRecords calls by outcome.
 */
final class ShardReadCounter implements PollingStats.ShardReads {

	private final String table;

	private final String shardId;

	private final AtomicLong calls = new AtomicLong();

	private final AtomicLong emptyReads = new AtomicLong();

	private final AtomicLong throttledReads = new AtomicLong();

	private final AtomicLong failedReads = new AtomicLong();

	private final TriggerMetrics metrics;

	ShardReadCounter(String table, String shardId, TriggerMetrics metrics) {
		this.table = table;
		this.shardId = shardId;
		this.metrics = metrics;
	}

	void count(ReadOutcome outcome) {
		this.calls.incrementAndGet();
		switch (outcome) {
			case RECORDS -> this.metrics.read(this.table, ReadResult.RECORDS);
			case EMPTY -> {
				this.emptyReads.incrementAndGet();
				this.metrics.read(this.table, ReadResult.EMPTY);
			}
			case THROTTLED -> {
				this.throttledReads.incrementAndGet();
				this.failedReads.incrementAndGet();
				this.metrics.read(this.table, ReadResult.THROTTLED);
			}
			case FAILED -> {
				this.failedReads.incrementAndGet();
				this.metrics.read(this.table, ReadResult.FAILED);
			}
		}
	}

	@Override
	public String table() {
		return this.table;
	}

	@Override
	public String shardId() {
		return this.shardId;
	}

	@Override
	public long calls() {
		return this.calls.get();
	}

	@Override
	public long emptyReads() {
		return this.emptyReads.get();
	}

	@Override
	public long throttledReads() {
		return this.throttledReads.get();
	}

	@Override
	public long failedReads() {
		return this.failedReads.get();
	}

	@Override
	public String toString() {
		return this.table + "/" + this.shardId + ": " + calls() + " calls, " + emptyReads() + " empty, "
				+ failedReads() + " failed (" + throttledReads() + " throttled)";
	}

}
