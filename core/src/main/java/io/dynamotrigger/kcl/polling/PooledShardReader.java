package io.dynamotrigger.kcl.polling;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.common.RequestDetails;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.retrieval.BatchUniqueIdentifier;
import software.amazon.kinesis.retrieval.GetRecordsResponseAdapter;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.RecordsDeliveryAck;
import software.amazon.kinesis.retrieval.RecordsPublisher;
import software.amazon.kinesis.retrieval.RecordsRetrieved;
import software.amazon.kinesis.retrieval.RetryableRetrievalException;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;
import software.amazon.kinesis.retrieval.polling.DataFetcher;

/**
 * Reads one shard for KCL's shard consumer without a thread of its own: each read is a task on the
 * application's read pool, started by its timer when the shard's {@link ShardReadPacer} says, in place of
 * KCL's prefetching reader and its thread per shard. The read is handed to KCL's consumer, which processes it
 * on its own executor.
 *
 * <p>What KCL's consumer relies on is kept: reads come one at a time and in order; a read is handed over only
 * when the consumer asked for one; the next read starts only once the consumer took the last one (its
 * acknowledgement, which comes as it starts processing it), so one read is ahead at most and a slow handler
 * stops its shard's reads; a failed read is tried again after the pacer's back-off (an expired or invalid
 * iterator is renewed from the last record read first); after {@link #restartFrom} reading goes on after the
 * given read, and a read from before it is dropped; a read handed to a subscription that ended before the
 * consumer took it is handed to the next subscription.
 */
final class PooledShardReader implements RecordsPublisher {

	private static final Logger log = LoggerFactory.getLogger(PooledShardReader.class);

	private final ShardReadPacer pacer;

	private final DataFetcher fetcher;

	private final int maxRecords;

	private final ScheduledExecutorService timer;

	private final ExecutorService reads;

	private final String shard;

	/** Held during a read and while the iterator is set, since the data fetcher is not thread-safe. */
	private final ReentrantLock fetching = new ReentrantLock();

	private final Object lock = new Object();

	private Subscriber<? super RecordsRetrieved> subscriber;

	/** Bumped by each subscription and restart: what belongs to an earlier one is ignored. */
	private long session;

	private long demand;

	private boolean reading;

	/** Read, not yet handed over. */
	private ShardBatch ready;

	/** Handed over, not yet taken by the consumer. */
	private ShardBatch unacknowledged;

	private String lastSequenceNumber;

	private InitialPositionInStreamExtended initialPosition;

	private volatile boolean shutdown;

	private volatile RequestDetails lastSuccessfulRequest = new RequestDetails();

	PooledShardReader(ShardReadPacer pacer, int maxRecords, ScheduledExecutorService timer, ExecutorService reads,
			String shard) {
		this.pacer = pacer;
		this.fetcher = pacer.dataFetcher();
		this.maxRecords = maxRecords;
		this.timer = timer;
		this.reads = reads;
		this.shard = shard;
	}

	@Override
	public void start(ExtendedSequenceNumber checkpoint, InitialPositionInStreamExtended initialPosition) {
		this.fetching.lock();
		try {
			this.fetcher.initialize(checkpoint, initialPosition);
		}
		finally {
			this.fetching.unlock();
		}
		synchronized (this.lock) {
			this.initialPosition = initialPosition;
			this.lastSequenceNumber = checkpoint.sequenceNumber();
		}
	}

	@Override
	public void subscribe(Subscriber<? super RecordsRetrieved> subscriber) {
		long current;
		synchronized (this.lock) {
			this.subscriber = subscriber;
			current = ++this.session;
			this.demand = 0;
			if (this.unacknowledged != null) {
				this.ready = this.unacknowledged;
				this.unacknowledged = null;
			}
		}
		subscriber.onSubscribe(new Demand(current));
	}

	@Override
	public void notify(RecordsDeliveryAck ack) {
		synchronized (this.lock) {
			if (this.unacknowledged != null
					&& this.unacknowledged.batchUniqueIdentifier().equals(ack.batchUniqueIdentifier())) {
				this.unacknowledged = null;
			}
		}
		next();
	}

	@Override
	public void restartFrom(RecordsRetrieved taken) {
		if (!(taken instanceof ShardBatch batch)) {
			throw new IllegalArgumentException("Not a read of this reader: " + taken);
		}
		this.fetching.lock();
		try {
			InitialPositionInStreamExtended position;
			synchronized (this.lock) {
				this.session++;
				this.demand = 0;
				this.ready = null;
				this.unacknowledged = null;
				this.lastSequenceNumber = batch.lastSequenceNumber();
				position = this.initialPosition;
			}
			this.fetcher.resetIterator(batch.nextIterator(), batch.lastSequenceNumber(), position);
		}
		finally {
			this.fetching.unlock();
		}
	}

	@Override
	public void shutdown() {
		this.shutdown = true;
		this.pacer.shutdown();
	}

	@Override
	public RequestDetails getLastSuccessfulRequestDetails() {
		return this.lastSuccessfulRequest;
	}

	/**
	 * Hands over the read that is ready if the consumer wants one, or starts the next read when it is due.
	 */
	private void next() {
		Subscriber<? super RecordsRetrieved> target = null;
		ShardBatch handOver = null;
		long current;
		synchronized (this.lock) {
			if (this.shutdown || this.demand == 0 || this.unacknowledged != null || this.subscriber == null) {
				return;
			}
			current = this.session;
			if (this.ready != null) {
				handOver = this.ready;
				target = this.subscriber;
				this.ready = null;
				this.unacknowledged = handOver;
				this.demand--;
			}
			else if (this.reading) {
				return;
			}
			else {
				this.reading = true;
			}
		}
		if (target != null) {
			target.onNext(handOver);
			return;
		}
		long delay = this.pacer.millisUntilNextRead();
		try {
			if (delay > 0) {
				this.timer.schedule(() -> this.reads.execute(() -> read(current)), delay, TimeUnit.MILLISECONDS);
			}
			else {
				this.reads.execute(() -> read(current));
			}
		}
		catch (RejectedExecutionException ex) {
			// The application is ending: its pools stop after every shard has.
			log.debug("{}: no further reads, the application's threads have stopped", this.shard);
		}
	}

	private void read(long readSession) {
		ShardBatch batch = null;
		this.fetching.lock();
		try {
			if (!this.shutdown && readSession == currentSession()) {
				batch = fetch();
			}
		}
		finally {
			this.fetching.unlock();
			synchronized (this.lock) {
				this.reading = false;
				if (batch != null && readSession == this.session && !this.shutdown) {
					this.ready = batch;
					this.lastSequenceNumber = batch.lastSequenceNumber();
				}
			}
		}
		next();
	}

	private long currentSession() {
		synchronized (this.lock) {
			return this.session;
		}
	}

	/**
	 * Makes one read.
	 * @return the read, or {@code null} if it failed and is to be tried again
	 */
	private ShardBatch fetch() {
		try {
			GetRecordsResponseAdapter response = this.pacer.getRecordsAdapter(this.maxRecords);
			// The time only: the adapter's response at a shard's end has no request id (requestId() fails).
			this.lastSuccessfulRequest = new RequestDetails("", Instant.now().toString());
			List<KinesisClientRecord> records = response.records();
			ProcessRecordsInput input = ProcessRecordsInput.builder()
				.records(records)
				.millisBehindLatest(response.millisBehindLatest())
				.cacheEntryTime(Instant.now())
				.isAtShardEnd(this.fetcher.isShardEndReached())
				.childShards(response.childShards())
				.build();
			String last;
			synchronized (this.lock) {
				last = records.isEmpty() ? this.lastSequenceNumber : records.get(records.size() - 1).sequenceNumber();
			}
			return new ShardBatch(input, last, response.nextShardIterator(),
					new BatchUniqueIdentifier(UUID.randomUUID().toString(), ""));
		}
		catch (ExpiredIteratorException | InvalidArgumentException ex) {
			log.info("{}: {} on GetRecords; renewing the iterator after the last record read", this.shard,
					ex.getClass().getSimpleName());
			this.fetcher.restartIterator();
		}
		catch (RetryableRetrievalException ex) {
			log.info("{}: GetRecords timed out; reading again", this.shard);
		}
		catch (ProvisionedThroughputExceededException ex) {
			log.warn("{}: GetRecords throttled; reading again after a back-off", this.shard);
		}
		catch (SdkException ex) {
			log.warn("{}: GetRecords failed; reading again after a back-off", this.shard, ex);
		}
		catch (RuntimeException ex) {
			log.error("{}: reading the shard failed; reading again after a back-off", this.shard, ex);
		}
		return null;
	}

	/**
	 * The consumer's demand of one subscription.
	 */
	private final class Demand implements Subscription {

		private final long session;

		Demand(long session) {
			this.session = session;
		}

		@Override
		public void request(long n) {
			synchronized (PooledShardReader.this.lock) {
				if (this.session != PooledShardReader.this.session || n <= 0) {
					return;
				}
				long total = PooledShardReader.this.demand + n;
				PooledShardReader.this.demand = (total < 0) ? Long.MAX_VALUE : total;
			}
			next();
		}

		@Override
		public void cancel() {
			synchronized (PooledShardReader.this.lock) {
				if (this.session == PooledShardReader.this.session) {
					PooledShardReader.this.demand = 0;
				}
			}
		}

	}

}
