package io.dynamotrigger.listener;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.dynamotrigger.TriggerContext;
import io.dynamotrigger.error.DeadLetterReason;
import io.dynamotrigger.error.DeadLetterRecord;
import io.dynamotrigger.error.ErrorPolicy;
import io.dynamotrigger.idempotency.IdempotentDelivery;
import io.dynamotrigger.metrics.RecordResult;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * trigger holds its record or batch, and so its shard, until it is resumed; it notices within 100 ms.
 * Each call is one handler timer sample; each record counts once per trigger as handled, filtered,
 * dead-lettered or expired, and once as retried per further call.
 */
public final class RecordPipeline {

	/** The name of the observation around each call of a trigger's method. */
	static final String OBSERVATION_NAME = "dynamo.trigger.process";

	private static final Logger log = LoggerFactory.getLogger(RecordPipeline.class);

	private static final long PAUSE_CHECK_MILLIS = 100;

	private final String table;

	private final List<ActiveTrigger> recordTriggers;

	private final List<ActiveTrigger> batchTriggers;

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
		this.recordTriggers = triggers.stream().filter((trigger) -> !trigger.endpoint().isBatch()).toList();
		this.batchTriggers = triggers.stream().filter((trigger) -> trigger.endpoint().isBatch()).toList();
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
	 * Delivers one record to every per-record trigger that accepts it, in trigger order.
	 * @param record the stream record
	 * @param shardId the shard the record was read from
	 * @return {@code true} when the record is done for the per-record triggers, {@code false} when the
	 * consumer stopped before (or the dead-letter step kept it)
	 */
	public boolean deliver(Record record, String shardId) {
		List<Record> single = null;
		for (int i = 0; i < this.recordTriggers.size(); i++) {
			ActiveTrigger trigger = this.recordTriggers.get(i);
			if (accepts(trigger, record)) {
				single = (single != null) ? single : List.of(record);
				if (!deliver(trigger, single, new TriggerCall(trigger, shardId, false))) {
					return false;
				}
			}
		}
		return true;
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
	 * Delivers a batch of records of one shard to a batch trigger, in one call; the records passed its filter
	 * when they were gathered ({@link #accepts}), and are not filtered again.
	 * @param trigger the batch trigger
	 * @param records the records, in stream order
	 * @param shardId the shard they were read from
	 * @param lastChance {@code true} to call the trigger once even though the consumer is stopping (a graceful
	 * stop delivering the batches it would otherwise leave behind), unless it is paused
	 * @return {@code true} when every record is done for the trigger, {@code false} when the consumer stopped
	 * before (or the dead-letter step kept one)
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

		TriggerCall(ActiveTrigger trigger, String shardId, boolean lastChance) {
			this.trigger = trigger;
			this.shardId = shardId;
			this.lastChance = lastChance;
		}

		@Override
		public boolean awaitCall(int attempt) {
			if (this.lastChance && attempt == 1) {
				return !this.trigger.isPaused();
			}
			while (this.trigger.isPaused() && !RecordPipeline.this.stop.isStopped()) {
				RecordPipeline.this.stop.await(PAUSE_CHECK_MILLIS);
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
			count(RecordResult.RETRIED, records.size());
			return !RecordPipeline.this.stop.await(delayMillis);
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
