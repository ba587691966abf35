package io.dynamotrigger.listener;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.dynamotrigger.BatchFailureException;
import io.dynamotrigger.TriggerContext;
import io.dynamotrigger.error.DeadLetterHandler;
import io.dynamotrigger.error.DeadLetterReason;
import io.dynamotrigger.error.DeadLetterRecord;
import io.dynamotrigger.error.ErrorPolicy;
import io.dynamotrigger.metrics.RecordResult;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Passes the records of a table's stream to the table's triggers: each record to every per-record trigger
 * that accepts it, in the order of the triggers ({@link #dispatch(Record, String)}); a batch of the records
 * a batch trigger accepted to that trigger, in one call ({@link #dispatchBatch}). Filters run on the raw
 * record, before any mapping. A failing trigger is called again as its {@link ErrorPolicy} says (a batch
 * trigger with the whole batch); a record the policy gives up on (each record of a batch) goes to the
 * {@link DeadLetterHandler}, which is offered it until it takes it. A record is done when every trigger has
 * filtered it out, handled or dead-lettered it; nothing is skipped. A paused trigger holds its record or
 * batch (and so the shard) until it is resumed; it notices within 100 ms.
 *
 * <p>Each call of a trigger's method is one handler timer sample; each record counts once for each
 * trigger as handled, filtered, dead-lettered or expired, and once as retried per further call.
 */
final class RecordDispatcher {

	/** The name of the observation around each call of a trigger's method. */
	static final String OBSERVATION_NAME = "dynamo.trigger.process";

	private static final Logger log = LoggerFactory.getLogger(RecordDispatcher.class);

	private static final long PAUSE_CHECK_MILLIS = 100;

	private final String table;

	private final List<ActiveTrigger> recordTriggers;

	private final List<ActiveTrigger> batchTriggers;

	private final DeadLetterHandler deadLetters;

	private final BackOff deadLetterBackOff;

	private final Clock clock;

	private final ObservationRegistry observations;

	private final Object signal = new Object();

	private volatile boolean stopped;

	/**
	 * Creates the dispatcher of one table.
	 * @param table the table
	 * @param triggers the table's triggers, in calling order
	 * @param deadLetters where records go that a trigger gives up on
	 * @param deadLetterBackOff pauses between offers of a dead letter the handler did not take
	 * @param clock the time of failures and of record age checks
	 * @param observations where each trigger call is observed (for tracing); a no-op registry for none
	 */
	RecordDispatcher(String table, List<ActiveTrigger> triggers, DeadLetterHandler deadLetters,
			BackOff deadLetterBackOff, Clock clock, ObservationRegistry observations) {
		this.table = table;
		this.recordTriggers = triggers.stream().filter((trigger) -> !trigger.endpoint().isBatch()).toList();
		this.batchTriggers = triggers.stream().filter((trigger) -> trigger.endpoint().isBatch()).toList();
		this.deadLetters = deadLetters;
		this.deadLetterBackOff = deadLetterBackOff;
		this.clock = clock;
		this.observations = observations;
	}

	/**
	 * Tells whether the table has triggers that take one record per call.
	 * @return whether {@link #dispatch(Record, String)} calls any trigger
	 */
	boolean hasRecordTriggers() {
		return !this.recordTriggers.isEmpty();
	}

	/**
	 * Delivers one record to every per-record trigger that accepts it, in trigger order.
	 * @param record the stream record
	 * @param shardId the shard the record was read from
	 * @return {@code true} when the record is done for the per-record triggers, {@code false} when the
	 * consumer stopped before
	 */
	boolean dispatch(Record record, String shardId) {
		List<Record> single = List.of(record);
		for (ActiveTrigger trigger : this.recordTriggers) {
			if (!deliver(trigger, single, shardId, false)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Returns the table's batch triggers.
	 * @return the triggers that take a batch of records per call, in calling order
	 */
	List<ActiveTrigger> batchTriggers() {
		return this.batchTriggers;
	}

	/**
	 * Tells whether a batch trigger is to get a record, counting it as filtered if not. A record whose
	 * filter fails (an event type unknown to this version) is kept: {@link #dispatchBatch} filters the
	 * batch again, and there the failure goes by the trigger's error policy.
	 * @param trigger the batch trigger
	 * @param record the stream record
	 * @return whether the record goes into the trigger's next batch
	 */
	boolean accepts(ActiveTrigger trigger, Record record) {
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
	 * Delivers a batch of records of one shard to a batch trigger, in one call.
	 * @param trigger the batch trigger
	 * @param records the records, in stream order, that {@link #accepts} let in
	 * @param shardId the shard they were read from
	 * @param lastChance {@code true} to call the trigger once even though the consumer is stopping (a graceful
	 * stop delivering the batches it would otherwise leave behind), unless it is paused
	 * @return {@code true} when every record is done for the trigger, {@code false} when the consumer stopped
	 * before
	 */
	boolean dispatchBatch(ActiveTrigger trigger, List<Record> records, String shardId, boolean lastChance) {
		return deliver(trigger, records, shardId, lastChance);
	}

	/**
	 * Calls a trigger once for the records it accepts (one record, or a batch), again per its error policy
	 * when it fails, and dead-letters each of them when the policy gives up; with {@code lastChance} the first
	 * call is made even though the consumer is stopping.
	 */
	private boolean deliver(ActiveTrigger trigger, List<Record> records, String shardId, boolean lastChance) {
		List<Record> accepted = null;
		BackOffExecution execution = null;
		Instant firstFailure = null;
		for (int attempt = 1; (lastChance && attempt == 1) ? !trigger.isPaused() : awaitRunnable(trigger); attempt++) {
			long start = System.nanoTime();
			try {
				if (accepted == null) {
					accepted = accepted(trigger, records, shardId);
					if (accepted == null) {
						return false;
					}
				}
				if (accepted.isEmpty()) {
					return true;
				}
				start = System.nanoTime();
				call(trigger, accepted, shardId, attempt);
				trigger.meters().handlerCall(System.nanoTime() - start, null);
				count(trigger, RecordResult.HANDLED, accepted.size());
				return true;
			}
			catch (VirtualMachineError error) {
				throw error;
			}
			catch (Throwable ex) {
				trigger.meters().handlerCall(System.nanoTime() - start, ex);
				if (accepted != null && accepted.size() > 1) {
					if (ex instanceof BatchFailureException partial) {
						List<Record> stillFailing = failedRecords(accepted, partial);
						if (stillFailing != null) {
							count(trigger, RecordResult.HANDLED, accepted.size() - stillFailing.size());
							accepted = stillFailing;
							if (accepted.isEmpty()) {
								return true;
							}
						}
					}
					else if (trigger.policy().bisectBatchOnError()) {
						return bisect(trigger, accepted, shardId, ex, lastChance);
					}
				}
				Instant now = this.clock.instant();
				firstFailure = (firstFailure != null) ? firstFailure : now;
				boolean retryable = !trigger.policy().isNonRetryable(ex);
				if (execution == null && retryable) {
					execution = trigger.policy().backOff().start();
				}
				long delay = retryable ? execution.nextBackOff() : BackOffExecution.STOP;
				List<Record> failed = (accepted != null) ? accepted : records;
				if (delay == BackOffExecution.STOP) {
					for (Record record : failed) {
						if (!deadLetter(trigger, DeadLetterRecord.of(trigger.id(), this.table, shardId, record,
								retryable ? DeadLetterReason.RETRIES_EXHAUSTED : DeadLetterReason.NON_RETRYABLE, ex,
								attempt, firstFailure, now), RecordResult.DEAD_LETTERED)) {
							return false;
						}
					}
					return true;
				}
				log.warn("Trigger '{}' failed on record {} of table {} (shard {}, attempt {}); calling it again in {} ms: {}",
						trigger.id(), sequenceNumbers(failed), this.table, shardId, attempt, delay, ex.toString());
				count(trigger, RecordResult.RETRIED, failed.size());
				if (awaitStop(delay)) {
					return false;
				}
			}
		}
		return false;
	}

	/**
	 * Returns the records of a batch that a {@link BatchFailureException} names, in batch order; {@code null}
	 * when it names a record that is not in the batch, so that the whole batch counts as failed.
	 */
	private static List<Record> failedRecords(List<Record> batch, BatchFailureException failure) {
		List<Record> failed = batch.stream()
			.filter((record) -> failure.failedSequenceNumbers().contains(record.dynamodb().sequenceNumber()))
			.toList();
		return (failed.size() == failure.failedSequenceNumbers().size()) ? failed : null;
	}

	/**
	 * Delivers the two halves of a failed batch one after the other, each on its own budget of retries.
	 */
	private boolean bisect(ActiveTrigger trigger, List<Record> batch, String shardId, Throwable failure,
			boolean lastChance) {
		int half = batch.size() / 2;
		log.warn("Trigger '{}' failed on a batch of {} records of table {} (shard {}); splitting it in halves: {}",
				trigger.id(), batch.size(), this.table, shardId, failure.toString());
		return deliver(trigger, batch.subList(0, half), shardId, lastChance)
				&& deliver(trigger, batch.subList(half, batch.size()), shardId, lastChance);
	}

	/**
	 * Returns the records the trigger's filters accept, in order, after dead-lettering those too old for
	 * its policy; {@code null} if the consumer stopped meanwhile. The filters all run before anything is
	 * counted or dead-lettered, so that a filter failing (an event type unknown to this version) leaves
	 * nothing to undo when the trigger is tried again.
	 */
	private List<Record> accepted(ActiveTrigger trigger, List<Record> records, String shardId) {
		List<Record> matching = new ArrayList<>(records.size());
		for (Record record : records) {
			if (trigger.endpoint().accepts(record)) {
				matching.add(record);
			}
		}
		count(trigger, RecordResult.FILTERED, records.size() - matching.size());
		List<Record> accepted = new ArrayList<>(matching.size());
		for (Record record : matching) {
			if (isTooOld(record, trigger.policy())) {
				Instant now = this.clock.instant();
				if (!deadLetter(trigger, DeadLetterRecord.of(trigger.id(), this.table, shardId, record,
						DeadLetterReason.RECORD_TOO_OLD, null, 0, now, now), RecordResult.EXPIRED)) {
					return null;
				}
			}
			else {
				accepted.add(record);
			}
		}
		return accepted;
	}

	private void call(ActiveTrigger trigger, List<Record> records, String shardId, int attempt) throws Throwable {
		Record last = records.get(records.size() - 1);
		TriggerContext context = new TriggerContext(trigger.id(), this.table, shardId, last.dynamodb().sequenceNumber(),
				attempt, last.dynamodb().approximateCreationDateTime());
		if (this.observations.isNoop()) {
			trigger.endpoint().handle(records, context);
			return;
		}
		Observation.createNotStarted(OBSERVATION_NAME, this.observations)
			.contextualName(trigger.id() + " process")
			.lowCardinalityKeyValue("trigger", trigger.id())
			.lowCardinalityKeyValue("table", this.table)
			.highCardinalityKeyValue("sequence.number", context.sequenceNumber())
			.observeChecked(() -> trigger.endpoint().handle(records, context));
	}

	private static void count(ActiveTrigger trigger, RecordResult result, int records) {
		for (int i = 0; i < records; i++) {
			trigger.meters().record(result);
		}
	}

	private static String sequenceNumbers(List<Record> records) {
		String first = records.get(0).dynamodb().sequenceNumber();
		return (records.size() == 1) ? first
				: first + ".." + records.get(records.size() - 1).dynamodb().sequenceNumber() + " (batch of "
						+ records.size() + ")";
	}

	private boolean isTooOld(Record record, ErrorPolicy policy) {
		Duration maxAge = policy.maxRecordAge();
		Instant created = record.dynamodb().approximateCreationDateTime();
		return maxAge != null && created != null && created.plus(maxAge).isBefore(this.clock.instant());
	}

	private boolean deadLetter(ActiveTrigger trigger, DeadLetterRecord deadLetter, RecordResult result) {
		BackOffExecution execution = this.deadLetterBackOff.start();
		while (!this.stopped) {
			try {
				this.deadLetters.handle(deadLetter);
				trigger.meters().record(result);
				DeadLetterRecord.Source source = deadLetter.source();
				DeadLetterRecord.Failure failure = deadLetter.failure();
				log.warn("Dead-lettered record {} of table {} (shard {}) for trigger '{}': {} after {} attempt(s){}",
						source.sequenceNumber(), this.table, source.shardId(), source.triggerId(), failure.reason(),
						failure.attempts(), (failure.exceptionClass() != null)
								? ": " + failure.exceptionClass() + ": " + failure.exceptionMessage() : "");
				return true;
			}
			catch (Exception ex) {
				long delay = execution.nextBackOff();
				if (delay == BackOffExecution.STOP) {
					execution = this.deadLetterBackOff.start();
					delay = execution.nextBackOff();
				}
				log.warn("Could not dead-letter record {} of table {} for trigger '{}'; the shard waits and tries again"
						+ " in {} ms", deadLetter.source().sequenceNumber(), this.table, deadLetter.source().triggerId(),
						delay, ex);
				if (awaitStop(delay)) {
					return false;
				}
			}
		}
		return false;
	}

	/**
	 * Waits while the trigger is paused.
	 * @return {@code false} if the consumer stopped
	 */
	private boolean awaitRunnable(ActiveTrigger trigger) {
		while (trigger.isPaused() && !this.stopped) {
			awaitStop(PAUSE_CHECK_MILLIS);
		}
		return !this.stopped;
	}

	/**
	 * Waits for the given time unless the consumer stops first.
	 * @return whether the consumer stopped
	 */
	private boolean awaitStop(long millis) {
		long deadline = System.nanoTime() + millis * 1_000_000;
		synchronized (this.signal) {
			long left = millis;
			while (!this.stopped && left > 0) {
				try {
					this.signal.wait(left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return true;
				}
				left = (deadline - System.nanoTime()) / 1_000_000;
			}
			return this.stopped;
		}
	}

	/**
	 * Tells whether the consumer is stopping; no record is started after that, but for a batch trigger's
	 * last chance ({@link #dispatchBatch}).
	 * @return whether {@link #stop()} was called
	 */
	boolean isStopped() {
		return this.stopped;
	}

	/**
	 * Stops delivering: a trigger waiting to be called again gives up, leaving its record not done.
	 */
	void stop() {
		synchronized (this.signal) {
			this.stopped = true;
			this.signal.notifyAll();
		}
	}

}
