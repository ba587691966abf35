package io.dynamotrigger.listener;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.dynamotrigger.TriggerContext;
import io.dynamotrigger.backfill.StreamSeam;
import io.dynamotrigger.error.DeadLetterReason;
import io.dynamotrigger.error.DeadLetterRecord;
import io.dynamotrigger.error.ErrorPolicy;
import io.dynamotrigger.idempotency.IdempotentDelivery;
import io.dynamotrigger.metrics.RecordResult;
import io.dynamotrigger.pause.HeldRecords;
import io.dynamotrigger.pause.ShardBacklog;
import io.dynamotrigger.window.WindowCalls;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.backoff.BackOffExecution;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * The record path of one table's triggers, the same for a KCL shard and a Lambda invocation: each trigger's
 * filter runs once, on the raw record; the records it accepts are mapped to the method's argument and the
 * method is called (observed and timed); a failure goes to the trigger's {@link ErrorPolicy}, which calls
 * again, splits batches or gives up; what it gives up on goes to the {@link DeadLetterPublisher}. A record is
 * done for a trigger when it was filtered out, handled or dead-lettered: nothing is skipped. An idempotent
 * trigger's records go through its {@link IdempotentDelivery} first, which leaves out (and counts) those it
 * handled already.
 *
 * <p>Per-record triggers get each record in trigger order ({@link #deliver(Record, String)}); a batch trigger
 * gets the records it accepted, gathered by its caller, in one call ({@link #deliverBatch}). A paused
 * trigger is not called: on a KCL shard the records it accepts are held in the shard's {@link ShardBacklog}
 * while the other triggers go on, and delivered to it in order after its resume ({@link #deliverHeld}); a
 * pause during a call's retries stops them within 100 ms and holds the record (its next call is attempt 1).
 * Each call is one handler timer sample; each record counts once per trigger as handled, filtered,
 * dead-lettered or expired, and once as retried per further call.
 */
public final class RecordPipeline {

	/** The name of the observation around each call of a trigger's method. */
	static final String OBSERVATION_NAME = "dynamo.trigger.process";

	private static final Logger log = LoggerFactory.getLogger(RecordPipeline.class);

	private static final long PAUSE_CHECK_MILLIS = 100;

	private static final long FINAL_CALL_RETRY_MILLIS = 1000;

	private final String table;

	private final List<ActiveTrigger> recordTriggers;

	private final List<ActiveTrigger> batchTriggers;

	private final List<ActiveTrigger> windowTriggers;

	private final DeadLetterPublisher deadLetters;

	private final StopSignal stop;

	private final Clock clock;

	private final ObservationRegistry observations;

	/**
	 * Creates the pipeline of one table.
	 * @param table the table
	 * @param triggers the table's triggers, in calling order
	 * @param deadLetters takes what the triggers' error policies give up on
	 * @param stop tells that the consumer stops
	 * @param clock the time of failures and of record age checks
	 * @param observations where each call is observed (for tracing); a no-op registry for none
	 */
	public RecordPipeline(String table, List<ActiveTrigger> triggers, DeadLetterPublisher deadLetters,
			StopSignal stop, Clock clock, ObservationRegistry observations) {
		this.table = table;
		this.recordTriggers = triggers.stream()
			.filter((trigger) -> !trigger.endpoint().isBatch() && !trigger.endpoint().isWindow())
			.toList();
		this.batchTriggers = triggers.stream().filter((trigger) -> trigger.endpoint().isBatch()).toList();
		this.windowTriggers = triggers.stream().filter((trigger) -> trigger.endpoint().isWindow()).toList();
		this.deadLetters = deadLetters;
		this.stop = stop;
		this.clock = clock;
		this.observations = observations;
	}

	/**
	 * Tells whether the table has triggers that take one record per call.
	 * @return whether {@link #deliver(Record, String)} calls any trigger
	 */
	public boolean hasRecordTriggers() {
		return !this.recordTriggers.isEmpty();
	}

	/**
	 * Returns the table's batch triggers.
	 * @return the triggers that take a batch of records per call, in calling order
	 */
	public List<ActiveTrigger> batchTriggers() {
		return this.batchTriggers;
	}

	/**
	 * Returns the table's per-record triggers.
	 * @return the triggers that take one record per call, in calling order
	 */
	List<ActiveTrigger> recordTriggers() {
		return this.recordTriggers;
	}

	/**
	 * Returns the table's tumbling-window triggers.
	 * @return the triggers with a window, in calling order
	 */
	public List<ActiveTrigger> windowTriggers() {
		return this.windowTriggers;
	}

	/**
	 * Returns how a window trigger's windows of one shard call it: through this pipeline's filter, error
	 * policy, dead letters, pausing, meters and stop.
	 * @param trigger the window trigger
	 * @param shardId the shard
	 * @return the calls
	 */
	public WindowCalls windowCalls(ActiveTrigger trigger, String shardId) {
		return new WindowCalls() {

			@Override
			public boolean accepts(Record record) {
				return RecordPipeline.this.accepts(trigger, record);
			}

			@Override
			public boolean call(List<Record> records, Call call) {
				return trigger.policy().deliver(records, new TriggerCall(trigger, shardId, false, call, true));
			}

			@Override
			public boolean callFinal(Call call) {
				return callWindowEnd(new TriggerCall(trigger, shardId, false, call, true), trigger);
			}

			@Override
			public boolean awaitRetry(long millis) {
				return !RecordPipeline.this.stop.await(millis);
			}

		};
	}

	/**
	 * A window's final call has no records to dead-letter: like AWS Lambda, it is made until it succeeds; the
	 * shard waits (and shows as stalled after the stall timeout).
	 */
	private boolean callWindowEnd(TriggerCall call, ActiveTrigger trigger) {
		BackOffExecution execution = null;
		for (int attempt = 1; call.awaitCall(attempt); attempt++) {
			try {
				call.call(List.of(), attempt);
				return true;
			}
			catch (VirtualMachineError error) {
				throw error;
			}
			catch (Throwable ex) {
				long delay = (execution != null) ? execution.nextBackOff() : BackOffExecution.STOP;
				if (delay == BackOffExecution.STOP) {
					execution = trigger.policy().backOff().start();
					delay = execution.nextBackOff();
				}
				delay = (delay == BackOffExecution.STOP) ? FINAL_CALL_RETRY_MILLIS : delay;
				log.warn("Trigger '{}' failed on the final call of a window of table {} (shard {}, attempt {});"
						+ " calling it again in {} ms (a window's final call is made until it succeeds): {}",
						trigger.id(), this.table, call.shardId, attempt, delay, ex.toString());
				if (this.stop.await(delay)) {
					return false;
				}
			}
		}
		return false;
	}

	/**
	 * Delivers one record to every per-record trigger that accepts it, in trigger order; a runtime without
	 * pause (a Lambda invocation).
	 * @param record the stream record
	 * @param shardId the shard the record was read from
	 * @return {@code true} when the record is done for the per-record triggers, {@code false} when the
	 * consumer stopped before (or the dead-letter step kept it)
	 */
	public boolean deliver(Record record, String shardId) {
		return deliver(record, shardId, 0, null);
	}

	/**
	 * Delivers one record of a KCL shard to every per-record trigger that accepts it, in trigger order; holds
	 * it for a trigger that is paused, or for which older records are held (so that it gets them in order).
	 * @param record the stream record
	 * @param shardId the shard the record was read from
	 * @param position the record's position in the shard (see {@link ShardCheckpointer})
	 * @param backlog what the shard holds for paused triggers; {@code null} to hold nothing
	 * @return {@code true} when the record is done or held for each per-record trigger, {@code false} when
	 * the consumer stopped before
	 */
	boolean deliver(Record record, String shardId, long position, ShardBacklog backlog) {
		List<Record> single = null;
		for (int i = 0; i < this.recordTriggers.size(); i++) {
			ActiveTrigger trigger = this.recordTriggers.get(i);
			if (!accepts(trigger, record)) {
				continue;
			}
			HeldRecords held = (backlog != null) ? backlog.of(i) : null;
			if (held != null && (trigger.isPaused() || !held.isEmpty())) {
				held.hold(position, record);
				continue;
			}
			single = (single != null) ? single : List.of(record);
			if (!deliver(trigger, single, new TriggerCall(trigger, shardId, false))) {
				if (held == null || this.stop.isStopped()) {
					return false;
				}
				// Not stopped: the trigger was paused before a call of the record.
				held.hold(position, record);
			}
		}
		return true;
	}

	/**
	 * Delivers what a shard holds for the per-record triggers that are not paused, in stream order, one
	 * record per call; stops for a trigger that is paused again meanwhile (the rest stays held).
	 * @param backlog what the shard holds
	 * @param shardId the shard
	 * @return {@code false} when the consumer stopped
	 */
	boolean deliverHeld(ShardBacklog backlog, String shardId) {
		for (int i = 0; i < this.recordTriggers.size() && !this.stop.isStopped(); i++) {
			ActiveTrigger trigger = this.recordTriggers.get(i);
			HeldRecords held = backlog.of(i);
			Map.Entry<Long, Record> oldest;
			while (!trigger.isPaused() && (oldest = held.oldest()) != null) {
				if (!deliver(trigger, List.of(oldest.getValue()), new TriggerCall(trigger, shardId, false))) {
					break;
				}
				held.delivered(oldest.getKey());
			}
		}
		return !this.stop.isStopped();
	}

	/**
	 * Runs a trigger's filter on a record, counting the record as filtered for the trigger if it does not
	 * pass. A record whose event type is unknown to this version passes: no filter can tell what it is, and
	 * it fails every call it is in (it cannot be mapped), so that the trigger's error policy dead-letters it.
	 * @param trigger the trigger
	 * @param record the stream record
	 * @return whether the trigger is to get the record
	 */
	public boolean accepts(ActiveTrigger trigger, Record record) {
		StreamSeam seam = trigger.seam();
		if (seam != null && !passesSeam(trigger, seam, record)) {
			return false;
		}
		try {
			if (trigger.endpoint().accepts(record)) {
				return true;
			}
		}
		catch (IllegalArgumentException ex) {
			return true;
		}
		trigger.meters().record(RecordResult.FILTERED);
		return false;
	}

	/**
	 * Holds a stream record of a trigger with a backfill until the backfill's scan is done, then tells whether
	 * the trigger gets it: not if the scan covers it (the seam counts it). A record held when the consumer
	 * stops passes, and its call refuses it ({@link TriggerCall#awaitCall}), so it is not done.
	 */
	private boolean passesSeam(ActiveTrigger trigger, StreamSeam seam, Record record) {
		while (!seam.isScanned() && !this.stop.isStopped()) {
			this.stop.await(PAUSE_CHECK_MILLIS);
		}
		return this.stop.isStopped() || !seam.covers(record);
	}

	/**
	 * Delivers changes a backfill read from the table to one trigger, after its filters (a change they
	 * reject counts as filtered): one call per change for a per-record trigger, calls of up to its batch size
	 * for a batch trigger. The trigger's error policy applies as to stream records.
	 * @param trigger the trigger
	 * @param changes the backfill's changes
	 * @return {@code true} when every change is done for the trigger, {@code false} when the consumer stopped
	 * before (or the dead-letter step kept one)
	 */
	public boolean deliverBackfill(ActiveTrigger trigger, List<Record> changes) {
		List<Record> accepted = new ArrayList<>(changes.size());
		for (Record change : changes) {
			if (trigger.endpoint().accepts(change)) {
				accepted.add(change);
			}
			else {
				trigger.meters().record(RecordResult.FILTERED);
			}
		}
		int callSize = trigger.endpoint().isBatch() ? trigger.batching().size() : 1;
		for (int from = 0; from < accepted.size(); from += callSize) {
			List<Record> call = accepted.subList(from, Math.min(from + callSize, accepted.size()));
			if (!deliver(trigger, call, new TriggerCall(trigger, TriggerContext.BACKFILL_SHARD, false, null, true))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Delivers a batch of records of one shard to a batch trigger, in one call; the records passed its filter
	 * when they were gathered ({@link #accepts}), and are not filtered again.
	 * @param trigger the batch trigger
	 * @param records the records, in stream order
	 * @param shardId the shard they were read from
	 * @param lastChance {@code true} to call the trigger once even though the consumer is stopping (a graceful
	 * stop delivering the batches it would otherwise leave behind), unless it is paused
	 * @return {@code true} when every record is done for the trigger, {@code false} when the consumer stopped
	 * or the trigger was paused before (or the dead-letter step kept one)
	 */
	public boolean deliverBatch(ActiveTrigger trigger, List<Record> records, String shardId, boolean lastChance) {
		return deliver(trigger, records, new TriggerCall(trigger, shardId, lastChance));
	}

	/**
	 * Delivers through the trigger's error policy, and through its idempotency step first if it has one.
	 */
	private boolean deliver(ActiveTrigger trigger, List<Record> records, TriggerCall call) {
		IdempotentDelivery idempotency = trigger.idempotency();
		return (idempotency != null)
				? idempotency.deliver(records, trigger.policy(), call, (millis) -> !this.stop.await(millis))
				: trigger.policy().deliver(records, call);
	}

	/**
	 * One delivery to one trigger: what the trigger's error policy drives.
	 */
	private final class TriggerCall implements ErrorPolicy.Delivery {

		private final ActiveTrigger trigger;

		private final String shardId;

		private final boolean lastChance;

		private final WindowCalls.Call windowCall;

		/**
		 * Whether the call waits while the trigger is paused, where its records cannot be held apart on the
		 * shard as a per-record trigger's are: a window trigger's (its windows' state goes with the shard's
		 * checkpoint) and a backfill's scan.
		 */
		private final boolean waitsWhilePaused;

		TriggerCall(ActiveTrigger trigger, String shardId, boolean lastChance) {
			this(trigger, shardId, lastChance, null, false);
		}

		TriggerCall(ActiveTrigger trigger, String shardId, boolean lastChance, WindowCalls.Call windowCall,
				boolean waitsWhilePaused) {
			this.trigger = trigger;
			this.shardId = shardId;
			this.lastChance = lastChance;
			this.windowCall = windowCall;
			this.waitsWhilePaused = waitsWhilePaused;
		}

		@Override
		public boolean awaitCall(int attempt) {
			while (this.trigger.isPaused()) {
				// Not waiting: the caller holds the record for the trigger until it is resumed.
				if (!this.waitsWhilePaused || RecordPipeline.this.stop.await(PAUSE_CHECK_MILLIS)) {
					return false;
				}
			}
			if (this.lastChance && attempt == 1) {
				StreamSeam seam = this.trigger.seam();
				return seam == null || seam.isScanned();
			}
			return !RecordPipeline.this.stop.isStopped();
		}

		@Override
		public void call(List<Record> records, int attempt) throws Throwable {
			long start = System.nanoTime();
			try {
				invoke(records, attempt);
				this.trigger.meters().handlerCall(System.nanoTime() - start, null);
			}
			catch (Throwable ex) {
				this.trigger.meters().handlerCall(System.nanoTime() - start, ex);
				throw ex;
			}
		}

		private void invoke(List<Record> records, int attempt) throws Throwable {
			if (this.windowCall != null) {
				invokeWindow(records, attempt);
				return;
			}
			HandlerInvoker invoker = this.trigger.endpoint().invoker();
			if (RecordPipeline.this.observations.isNoop()) {
				// Nothing reads the context but the method, and only if it declares one.
				invoker.invoke(records, invoker.takesContext() ? context(records, attempt) : null);
				return;
			}
			TriggerContext context = context(records, attempt);
			Observation.createNotStarted(OBSERVATION_NAME, RecordPipeline.this.observations)
				.contextualName(this.trigger.id() + " process")
				.lowCardinalityKeyValue("trigger", this.trigger.id())
				.lowCardinalityKeyValue("table", RecordPipeline.this.table)
				.highCardinalityKeyValue("sequence.number", context.sequenceNumber())
				.observeChecked(() -> invoker.invoke(records, context));
		}

		private void invokeWindow(List<Record> records, int attempt) throws Throwable {
			if (RecordPipeline.this.observations.isNoop()) {
				this.windowCall.call(records, attempt);
				return;
			}
			Observation.createNotStarted(OBSERVATION_NAME, RecordPipeline.this.observations)
				.contextualName(this.trigger.id() + " process")
				.lowCardinalityKeyValue("trigger", this.trigger.id())
				.lowCardinalityKeyValue("table", RecordPipeline.this.table)
				.highCardinalityKeyValue("sequence.number",
						records.isEmpty() ? "" : records.get(records.size() - 1).dynamodb().sequenceNumber())
				.observeChecked(() -> this.windowCall.call(records, attempt));
		}

		private TriggerContext context(List<Record> records, int attempt) {
			Record last = records.get(records.size() - 1);
			return new TriggerContext(this.trigger.id(), RecordPipeline.this.table, this.shardId,
					last.dynamodb().sequenceNumber(), attempt, last.dynamodb().approximateCreationDateTime());
		}

		@Override
		public void handled(int records) {
			count(RecordResult.HANDLED, records);
		}

		@Override
		public boolean awaitRetry(List<Record> records, int attempt, long delayMillis, Throwable failure) {
			log.warn("Trigger '{}' failed on record {} of table {} (shard {}, attempt {}); calling it again in {} ms: {}",
					this.trigger.id(), sequenceNumbers(records), RecordPipeline.this.table, this.shardId, attempt,
					delayMillis, failure.toString());
			long deadline = System.nanoTime() + delayMillis * 1_000_000;
			long left = delayMillis;
			while (left > 0 && !this.trigger.isPaused()) {
				if (RecordPipeline.this.stop.await(Math.min(left, PAUSE_CHECK_MILLIS))) {
					return false;
				}
				left = (deadline - System.nanoTime()) / 1_000_000;
			}
			if (this.trigger.isPaused()) {
				return false;
			}
			count(RecordResult.RETRIED, records.size());
			return true;
		}

		@Override
		public void bisecting(List<Record> batch, Throwable failure) {
			log.warn("Trigger '{}' failed on a batch of {} records of table {} (shard {}); splitting it in halves: {}",
					this.trigger.id(), batch.size(), RecordPipeline.this.table, this.shardId, failure.toString());
		}

		@Override
		public boolean deadLetter(Record record, DeadLetterReason reason, Throwable failure, int attempts,
				Instant firstFailure, Instant lastFailure) {
			if (!RecordPipeline.this.deadLetters.publish(DeadLetterRecord.of(this.trigger.id(),
					RecordPipeline.this.table, this.shardId, record, reason, failure, attempts, firstFailure,
					lastFailure))) {
				return false;
			}
			this.trigger.meters()
				.record((reason == DeadLetterReason.RECORD_TOO_OLD) ? RecordResult.EXPIRED : RecordResult.DEAD_LETTERED);
			return true;
		}

		@Override
		public Instant now() {
			return RecordPipeline.this.clock.instant();
		}

		private void count(RecordResult result, int records) {
			for (int i = 0; i < records; i++) {
				this.trigger.meters().record(result);
			}
		}

	}

	private static String sequenceNumbers(List<Record> records) {
		String first = records.get(0).dynamodb().sequenceNumber();
		return (records.size() == 1) ? first
				: first + ".." + records.get(records.size() - 1).dynamodb().sequenceNumber() + " (batch of "
						+ records.size() + ")";
	}

}
