package io.dynamotrigger.window;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import io.dynamotrigger.BatchFailureException;
import io.dynamotrigger.WindowContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * The tumbling windows of one window trigger on one shard, while this instance holds the shard's lease.
 *
 * <p>Each read's records that the trigger accepts go, in stream order, to the window of their approximate
 * creation time; the method is called once per window and read with those records and the window's state.
 * A window closes, with a final call without records, when a record of a later window arrives, when the shard
 * is idle (a read finds nothing) {@link #CLOSE_DELAY} or more after the window's end, or at the shard's end.
 * A record whose window has already closed (it arrived more than the close delay late) goes to the open window,
 * or the one after the closed one: it is never dropped.
 *
 * <p>After every read that changed them, the windows are saved ({@link WindowStateTable}) with the last record
 * they include, before the shard is checkpointed ({@link #heldAt()}): a new owner of the shard resumes the open
 * window with its state and passes over the records read again up to that record, so no record is counted
 * twice in a window's final state, and none is missed. A final call whose saving did not happen (a crash
 * between the two) is made again by the next owner: the final call is made at least once.
 */
public final class ShardWindows {

	/**
	 * How long after a window's end an idle shard closes it: records written just before the end may take a
	 * moment to be readable from the stream.
	 */
	public static final Duration CLOSE_DELAY = Duration.ofSeconds(2);

	private static final long SAVE_RETRY_MILLIS = 1000;

	private static final Logger log = LoggerFactory.getLogger(ShardWindows.class);

	private final WindowFunction function;

	private final WindowStateTable states;

	private final WindowCalls calls;

	private final String triggerId;

	private final String table;

	private final String shardId;

	private final Clock clock;

	private final String owner = UUID.randomUUID().toString();

	private Instant windowStart;

	private Object state;

	private String stateJson;

	private String lastSequenceNumber;

	private BigInteger lastIncluded;

	private Instant closedUntil;

	private long heldAt = Long.MAX_VALUE;

	/**
	 * Creates the windows of a shard's trigger; {@link #open()} loads what was saved.
	 * @param function the window method
	 * @param states where the windows are saved
	 * @param calls calls the trigger through the table's record pipeline
	 * @param triggerId the trigger
	 * @param table the table
	 * @param shardId the shard
	 * @param clock the time, for closing idle windows
	 */
	public ShardWindows(WindowFunction function, WindowStateTable states, WindowCalls calls, String triggerId,
			String table, String shardId, Clock clock) {
		this.function = function;
		this.states = states;
		this.calls = calls;
		this.triggerId = triggerId;
		this.table = table;
		this.shardId = shardId;
		this.clock = clock;
	}

	/**
	 * Claims the shard's windows for this lease and loads what the previous owners saved; tries again until
	 * it succeeds or the consumer stops.
	 * @return {@code false} if the consumer stopped before; the windows then hold the checkpoint where it is
	 */
	public boolean open() {
		while (true) {
			try {
				SavedWindow saved = this.states.claim(this.shardId, this.triggerId, this.owner);
				this.windowStart = saved.windowStart();
				this.stateJson = saved.stateJson();
				this.state = this.function.fromJson(saved.stateJson());
				this.lastSequenceNumber = saved.lastSequenceNumber();
				this.lastIncluded = (saved.lastSequenceNumber() != null) ? new BigInteger(saved.lastSequenceNumber())
						: null;
				this.closedUntil = saved.closedUntil();
				if (this.windowStart != null || this.lastSequenceNumber != null) {
					log.info("Trigger '{}' resumes its windows of table {} shard {}: open window {}, records up to {}"
							+ " included", this.triggerId, this.table, this.shardId, this.windowStart,
							this.lastSequenceNumber);
				}
				return true;
			}
			catch (RuntimeException ex) {
				log.warn("Could not load the windows of trigger '{}' on table {} shard {} from {}; trying again in {} ms",
						this.triggerId, this.table, this.shardId, this.states.tableName(), SAVE_RETRY_MILLIS, ex);
				if (!this.calls.awaitRetry(SAVE_RETRY_MILLIS)) {
					this.heldAt = 0;
					return false;
				}
			}
		}
	}

	/**
	 * Adds the records of a read to their windows, closing the windows they pass, and saves the windows.
	 * @param read the read, in stream order, not empty
	 * @param start the shard position of the read's first record
	 */
	public void add(List<DynamoDBStreamsClientRecord> read, long start) {
		if (this.heldAt != Long.MAX_VALUE) {
			return;
		}
		List<Record> group = new ArrayList<>();
		Instant groupWindow = null;
		for (DynamoDBStreamsClientRecord clientRecord : read) {
			Record record = clientRecord.getRecord();
			if (isIncluded(record.dynamodb().sequenceNumber()) || !this.calls.accepts(record)) {
				continue;
			}
			Instant window = windowOf(record);
			if (groupWindow != null && !window.equals(groupWindow)) {
				if (!addGroup(groupWindow, group)) {
					this.heldAt = start;
					return;
				}
				group = new ArrayList<>();
			}
			groupWindow = window;
			group.add(record);
		}
		if (groupWindow != null && !addGroup(groupWindow, group)) {
			this.heldAt = start;
			return;
		}
		this.lastSequenceNumber = read.get(read.size() - 1).sequenceNumber();
		this.lastIncluded = new BigInteger(this.lastSequenceNumber);
		if (!save()) {
			this.heldAt = start;
		}
	}

	/**
	 * Closes the open window if its end is {@link #CLOSE_DELAY} ago; called after a read that found nothing.
	 * @param nextPosition the shard position of the next record to be read, where the checkpoint stays if the
	 * consumer stops before the window's end is saved
	 */
	public void closeIfIdle(long nextPosition) {
		if (this.heldAt != Long.MAX_VALUE || this.windowStart == null) {
			return;
		}
		Instant end = this.function.windows().endOf(this.windowStart);
		if (this.clock.instant().isBefore(end.plus(CLOSE_DELAY))) {
			return;
		}
		if (!close() || !save()) {
			this.heldAt = nextPosition;
		}
	}

	/**
	 * Closes the open window at the end of the shard: windows are kept per shard, so the child shards start
	 * their own.
	 * @param nextPosition the shard position after its last record, where the checkpoint stays if the consumer
	 * stops before the window's end is saved
	 */
	public void closeAtShardEnd(long nextPosition) {
		if (this.heldAt == Long.MAX_VALUE && this.windowStart != null && (!close() || !save())) {
			this.heldAt = nextPosition;
		}
	}

	/**
	 * Returns where the windows hold the shard's checkpoint: at the first record they include but could not
	 * save (the consumer stopped, or the lease moved).
	 * @return that shard position, {@link Long#MAX_VALUE} for none
	 */
	public long heldAt() {
		return this.heldAt;
	}

	private boolean isIncluded(String sequenceNumber) {
		return this.lastIncluded != null && new BigInteger(sequenceNumber).compareTo(this.lastIncluded) <= 0;
	}

	private Instant windowOf(Record record) {
		Instant created = record.dynamodb().approximateCreationDateTime();
		Instant window = (created != null) ? this.function.windows().startOf(created)
				: this.function.windows().startOf(this.clock.instant());
		if (this.windowStart != null && window.isBefore(this.windowStart)) {
			return this.windowStart;
		}
		if (this.closedUntil != null && window.isBefore(this.closedUntil)) {
			return this.closedUntil;
		}
		return window;
	}

	private boolean addGroup(Instant window, List<Record> records) {
		if (this.windowStart != null && window.isAfter(this.windowStart) && !close()) {
			return false;
		}
		if (this.windowStart == null) {
			this.windowStart = window;
			this.state = null;
			this.stateJson = null;
		}
		return this.calls.call(records, (call, attempt) -> {
			Object next;
			try {
				next = this.function.apply(call, this.state, context(false, attempt));
			}
			catch (BatchFailureException ex) {
				// Records it names failed, the others' part of the state was lost with the exception.
				throw new IllegalStateException("A window method fails a call as a whole; BatchFailureException"
						+ " is for batch methods", ex);
			}
			String json = this.function.toJson(next);
			this.state = next;
			this.stateJson = json;
		});
	}

	private boolean close() {
		if (!this.calls.callFinal((call, attempt) -> this.function.apply(call, this.state, context(true, attempt)))) {
			return false;
		}
		this.closedUntil = this.function.windows().endOf(this.windowStart);
		this.windowStart = null;
		this.state = null;
		this.stateJson = null;
		return true;
	}

	private WindowContext context(boolean last, int attempt) {
		return new WindowContext(this.triggerId, this.table, this.shardId, this.windowStart,
				this.function.windows().endOf(this.windowStart), last, attempt);
	}

	/**
	 * Saves the windows; tries again until it succeeds, the consumer stops or another owner claimed them.
	 */
	private boolean save() {
		SavedWindow saved = new SavedWindow(this.windowStart, this.stateJson, this.lastSequenceNumber,
				this.closedUntil);
		while (true) {
			try {
				if (this.states.save(this.shardId, this.triggerId, this.owner, saved)) {
					return true;
				}
				log.info("Not saving the windows of trigger '{}' on table {} shard {}: the lease moved to another"
						+ " worker, which resumes them", this.triggerId, this.table, this.shardId);
				return false;
			}
			catch (RuntimeException ex) {
				log.warn("Could not save the windows of trigger '{}' on table {} shard {} to {}; trying again in {} ms",
						this.triggerId, this.table, this.shardId, this.states.tableName(), SAVE_RETRY_MILLIS, ex);
				if (!this.calls.awaitRetry(SAVE_RETRY_MILLIS)) {
					return false;
				}
			}
		}
	}

}
