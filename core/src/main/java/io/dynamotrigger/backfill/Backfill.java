package io.dynamotrigger.backfill;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.dynamotrigger.ViewType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * One trigger's backfill, from the moment its consumer is created: it holds the trigger's stream records (as
 * the {@link StreamSeam} the record pipeline asks), notes when the scan begins (in the state table, once for
 * all instances), scans the table while it holds the scan's lock (one thread per segment, at the configured
 * rate, each page's progress kept so that a restart or another instance resumes), marks the backfill done and
 * lets the stream go on. An instance that does not get the lock waits until another one is done. A backfill
 * whose scan began longer ago than the stream's retention fails and keeps holding the stream: the changes
 * since may be gone from the stream, and passing on would leave a gap.
 */
final class Backfill implements StreamSeam {

	private static final Logger log = LoggerFactory.getLogger(Backfill.class);

	private static final long POLL_MILLIS = 1000;

	private static final long MAX_BACK_OFF_MILLIS = 30_000;

	private final String triggerId;

	private final String table;

	private final ViewType viewType;

	private final BackfillSettings settings;

	private final BackfillStateTable state;

	private final DynamoDbClient dynamoDb;

	private final BackfillDelivery delivery;

	private final BackfillMeters meters;

	private final Clock clock;

	private final boolean restart;

	private final String owner = UUID.randomUUID().toString();

	private final AtomicInteger segmentsDone = new AtomicInteger();

	private final AtomicLong itemsScanned = new AtomicLong();

	private final AtomicLong covered = new AtomicLong();

	private volatile BackfillProgress.Phase phase = BackfillProgress.Phase.WAITING;

	private volatile Long scanStartedAt;

	private volatile Long scanEndedAt;

	private volatile int segments;

	/** Stream records written before this, in epoch milliseconds, are covered by the scan. */
	private volatile long coveredBefore;

	private volatile String failure;

	private volatile boolean stopped;

	private Thread thread;

	/**
	 * Creates the backfill of one trigger.
	 * @param triggerId the trigger
	 * @param table its table
	 * @param viewType its view type, which shapes the backfill changes
	 * @param settings how backfills run
	 * @param state the state table of the trigger's consumer
	 * @param dynamoDb scans the table
	 * @param delivery hands changes to the trigger
	 * @param meters counts items scanned and records covered
	 * @param clock the time of the scan's start and of the stream records' creation
	 * @param restart {@code true} to begin another backfill even if one was done before
	 */
	Backfill(String triggerId, String table, ViewType viewType, BackfillSettings settings, BackfillStateTable state,
			DynamoDbClient dynamoDb, BackfillDelivery delivery, BackfillMeters meters, Clock clock, boolean restart) {
		this.triggerId = triggerId;
		this.table = table;
		this.viewType = viewType;
		this.settings = settings;
		this.state = state;
		this.dynamoDb = dynamoDb;
		this.delivery = delivery;
		this.meters = meters;
		this.clock = clock;
		this.restart = restart;
		this.segments = settings.segments();
	}

	synchronized void start() {
		this.thread = new Thread(this::run, "dynamo-trigger-backfill-" + this.triggerId);
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/**
	 * Stops the backfill and waits up to the timeout for it: the scan stops after the page in progress (whose
	 * delivery ends once the consumer stops), and its lock is given up so that another instance goes on at once.
	 * Nothing is interrupted: a segment's thread may be calling the trigger.
	 * @param timeout how long to wait
	 */
	synchronized void stop(Duration timeout) {
		this.stopped = true;
		if (this.thread == null) {
			return;
		}
		try {
			this.thread.join(Math.max(1, timeout.toMillis()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.thread.isAlive()) {
			log.warn("Backfill of trigger '{}' has not stopped within {}; it stops in the background", this.triggerId,
					timeout);
		}
	}

	@Override
	public boolean isScanned() {
		return this.phase == BackfillProgress.Phase.DONE;
	}

	@Override
	public boolean covers(Record record) {
		Instant created = record.dynamodb().approximateCreationDateTime();
		if (created == null || created.toEpochMilli() >= this.coveredBefore) {
			return false;
		}
		if (this.covered.getAndIncrement() == 0) {
			log.info("Trigger '{}' passes over the stream records of table {} written before {}: its backfill's scan,"
					+ " which began {} later, covers them (counted in dynamo.trigger.backfill.covered)", this.triggerId,
					this.table, Instant.ofEpochMilli(this.coveredBefore), this.settings.seamMargin());
		}
		this.meters.covered();
		return true;
	}

	BackfillProgress progress() {
		Long started = this.scanStartedAt;
		Long ended = this.scanEndedAt;
		return new BackfillProgress(this.phase, (started != null) ? Instant.ofEpochMilli(started) : null,
				(ended != null) ? Instant.ofEpochMilli(ended) : null, this.segmentsDone.get(), this.segments,
				this.itemsScanned.get(), this.covered.get(), this.failure);
	}

	private void run() {
		long backOff = POLL_MILLIS;
		boolean restartPending = this.restart;
		while (!this.stopped) {
			try {
				this.state.create();
				if (restartPending) {
					this.state.restart(this.triggerId, this.clock.millis(), this.settings.segments());
					restartPending = false;
				}
				if (step()) {
					return;
				}
				backOff = POLL_MILLIS;
			}
			catch (RuntimeException ex) {
				if (this.stopped) {
					return;
				}
				log.warn("Backfill of trigger '{}' (table {}) failed a step; trying again in {} ms", this.triggerId,
						this.table, backOff, ex);
				sleep(backOff);
				backOff = Math.min(backOff * 2, MAX_BACK_OFF_MILLIS);
				continue;
			}
			sleep(POLL_MILLIS);
		}
		try {
			this.state.unlock(this.triggerId, this.owner);
		}
		catch (RuntimeException ex) {
			log.warn("Backfill of trigger '{}' could not give its scan's lock up; another instance takes the scan"
					+ " over once the lock expires", this.triggerId, ex);
		}
	}

	/**
	 * Reads the backfill's state and does what it calls for: begin, scan while holding the lock, wait for the
	 * instance that holds it, or finish.
	 * @return {@code true} once the backfill is done or failed
	 */
	private boolean step() {
		BackfillState current = this.state.read(this.triggerId);
		long now = this.clock.millis();
		if (current == null) {
			if (this.state.begin(this.triggerId, now, this.settings.segments())) {
				log.info("Backfill of trigger '{}' (table {}) begins: its stream records wait until the scan is done",
						this.triggerId, this.table);
			}
			return step();
		}
		this.scanStartedAt = current.scanStartedAt();
		this.segments = current.segments();
		if (BackfillState.DONE.equals(current.status())) {
			done(current);
			return true;
		}
		if (BackfillState.FAILED.equals(current.status())) {
			failed(current.failure());
			return true;
		}
		if (now - current.scanStartedAt() > this.settings.streamRetention().toMillis()) {
			String reason = "the backfill's scan began at " + Instant.ofEpochMilli(current.scanStartedAt())
					+ ", longer ago than the stream keeps its records (" + this.settings.streamRetention()
					+ "), and has not finished: the stream no longer holds every change since, so the trigger's"
					+ " stream records are held to leave no gap. Start another backfill (actuator: dynamotriggers/"
					+ this.triggerId + " action=backfill)";
			this.state.fail(this.triggerId, current.scanStartedAt(), reason);
			failed(reason);
			return true;
		}
		if (this.state.lock(this.triggerId, current.scanStartedAt(), this.owner, now,
				now + this.settings.lockDuration().toMillis())) {
			this.phase = BackfillProgress.Phase.SCANNING;
			if (scan(current)) {
				return step();
			}
		}
		else {
			this.phase = BackfillProgress.Phase.WAITING;
			countSegmentsDone(current);
		}
		return false;
	}

	private void countSegmentsDone(BackfillState current) {
		int done = 0;
		for (int segment = 0; segment < current.segments(); segment++) {
			if (this.state.segment(this.triggerId, current.scanStartedAt(), segment).done()) {
				done++;
			}
		}
		this.segmentsDone.set(done);
	}

	/**
	 * Scans every segment not done yet, one thread each, renewing the lock meanwhile; marks the backfill done
	 * when every segment is. The segments halt after their page in progress when the lock is lost or the scan
	 * outlives the stream's retention.
	 * @return whether the backfill is marked done
	 */
	private boolean scan(BackfillState current) {
		List<String> keyNames = this.dynamoDb.describeTable((describe) -> describe.tableName(this.table))
			.table()
			.keySchema()
			.stream()
			.map(KeySchemaElement::attributeName)
			.toList();
		log.info("Backfill of trigger '{}' scans table {} in {} segment(s), going on from each segment's saved progress"
				+ " (the scan began at {})", this.triggerId, this.table, current.segments(),
				Instant.ofEpochMilli(current.scanStartedAt()));
		BackfillChange changes = new BackfillChange(keyNames, this.viewType, current.scanStartedAt());
		ScanRate rate = new ScanRate(this.settings.itemsPerSecond());
		AtomicBoolean halted = new AtomicBoolean();
		AtomicInteger completed = new AtomicInteger();
		this.segmentsDone.set(0);
		List<Thread> threads = new ArrayList<>();
		for (int segment = 0; segment < current.segments(); segment++) {
			int number = segment;
			Thread thread = new Thread(() -> {
				if (scanSegment(current, number, changes, rate, halted)) {
					completed.incrementAndGet();
				}
			}, "dynamo-trigger-backfill-" + this.triggerId + "-" + segment);
			thread.setDaemon(true);
			thread.start();
			threads.add(thread);
		}
		long renewMillis = Math.max(100, this.settings.lockDuration().toMillis() / 3);
		long renewedAt = this.clock.millis();
		long renewAt = renewedAt + renewMillis;
		for (Thread thread : threads) {
			while (thread.isAlive()) {
				try {
					thread.join(Math.min(renewMillis, POLL_MILLIS / 5));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					halted.set(true);
					return false;
				}
				long now = this.clock.millis();
				if (now - current.scanStartedAt() > this.settings.streamRetention().toMillis() && !halted.get()) {
					// The next step fails the backfill.
					halted.set(true);
				}
				if (now >= renewAt && !this.stopped && !halted.get()) {
					renewAt = now + renewMillis;
					try {
						if (this.state.lock(this.triggerId, current.scanStartedAt(), this.owner, now,
								now + this.settings.lockDuration().toMillis())) {
							renewedAt = now;
						}
						else {
							log.warn("Backfill of trigger '{}' lost its scan's lock to another instance, or another"
									+ " backfill began; the segments stop after their page in progress", this.triggerId);
							halted.set(true);
						}
					}
					catch (RuntimeException ex) {
						// The lock lasts until it expires: try again at the next renewal until then.
						boolean expired = now - renewedAt >= this.settings.lockDuration().toMillis();
						log.warn("Backfill of trigger '{}' could not renew its scan's lock{}", this.triggerId,
								expired ? " before it expired; the segments stop after their page in progress"
										: "; trying again", ex);
						halted.compareAndSet(false, expired);
					}
				}
			}
		}
		if (completed.get() == current.segments() && !halted.get() && !this.stopped
				&& this.state.done(this.triggerId, current.scanStartedAt(), this.owner, this.clock.millis())) {
			log.info("Backfill of trigger '{}' (table {}) scanned {} segment(s); {} item(s) delivered by this instance",
					this.triggerId, this.table, current.segments(), this.itemsScanned.get());
			return true;
		}
		return false;
	}

	/**
	 * Scans one segment from where its progress says, page after page, delivering each page and then keeping
	 * how far the segment got.
	 * @return whether the segment is done
	 */
	private boolean scanSegment(BackfillState current, int segment, BackfillChange changes, ScanRate rate,
			AtomicBoolean halted) {
		try {
			SegmentProgress progress = this.state.segment(this.triggerId, current.scanStartedAt(), segment);
			while (!progress.done()) {
				if (this.stopped || halted.get()) {
					return false;
				}
				Map<String, AttributeValue> startAfter = progress.lastKey();
				ScanResponse page = this.dynamoDb.scan((scan) -> scan.tableName(this.table)
					.segment(segment)
					.totalSegments(current.segments())
					.exclusiveStartKey(startAfter)
					.limit(this.settings.pageSize())
					.consistentRead(true));
				rate.take(page.count());
				Instant readAt = this.clock.instant();
				List<Record> records = new ArrayList<>(page.count());
				for (Map<String, AttributeValue> item : page.items()) {
					records.add(changes.of(item, segment, progress.items() + records.size(), readAt));
				}
				if (!records.isEmpty() && !this.delivery.deliver(records)) {
					return false;
				}
				this.itemsScanned.addAndGet(records.size());
				this.meters.scanned(records.size());
				Map<String, AttributeValue> lastKey = (page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty())
						? page.lastEvaluatedKey() : null;
				progress = new SegmentProgress(lastKey, lastKey == null, progress.items() + records.size());
				this.state.save(this.triggerId, current.scanStartedAt(), segment, progress);
			}
			this.segmentsDone.incrementAndGet();
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (RuntimeException ex) {
			log.warn("Backfill of trigger '{}' could not scan segment {} of table {}; the scan goes on from the"
					+ " segment's progress", this.triggerId, segment, this.table, ex);
			return false;
		}
	}

	private void done(BackfillState current) {
		this.scanEndedAt = current.scanEndedAt();
		this.segmentsDone.set(current.segments());
		this.coveredBefore = current.scanStartedAt() - this.settings.seamMargin().toMillis();
		this.phase = BackfillProgress.Phase.DONE;
		log.info("Backfill of trigger '{}' (table {}) is done (scan {} to {}); its stream goes on", this.triggerId,
				this.table, Instant.ofEpochMilli(current.scanStartedAt()),
				(current.scanEndedAt() != null) ? Instant.ofEpochMilli(current.scanEndedAt()) : "?");
	}

	private void failed(String reason) {
		this.failure = reason;
		this.phase = BackfillProgress.Phase.FAILED;
		log.error("Backfill of trigger '{}' (table {}) failed: {}", this.triggerId, this.table, reason);
	}

	/**
	 * Sleeps, waking early when the backfill stops.
	 */
	private void sleep(long millis) {
		long until = System.nanoTime() + millis * 1_000_000;
		try {
			while (!this.stopped && System.nanoTime() < until) {
				Thread.sleep(Math.min(millis, 100));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.stopped = true;
		}
	}

}
