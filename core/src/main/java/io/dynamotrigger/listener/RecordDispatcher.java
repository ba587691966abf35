package io.dynamotrigger.listener;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.dynamotrigger.EventType;
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
 * Passes each record of a table's stream to every trigger of the table that accepts it, in the order of
 * the triggers. A failing trigger is called again as its {@link ErrorPolicy} says; a record the policy
 * gives up on goes to the {@link DeadLetterHandler}, which is offered it until it takes it. A record is
 * done when every accepting trigger has handled or dead-lettered it; nothing is skipped. A paused
 * trigger holds its record (and so the shard) until it is resumed; it notices within 100 ms.
 */
final class RecordDispatcher {

	/** The name of the observation around each call of a trigger's method. */
	static final String OBSERVATION_NAME = "dynamo.trigger.process";

	private static final Logger log = LoggerFactory.getLogger(RecordDispatcher.class);

	private static final long PAUSE_CHECK_MILLIS = 100;

	private final String table;

	private final List<ActiveTrigger> triggers;

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
		this.triggers = List.copyOf(triggers);
		this.deadLetters = deadLetters;
		this.deadLetterBackOff = deadLetterBackOff;
		this.clock = clock;
		this.observations = observations;
	}

	/**
	 * Delivers one record to every trigger that accepts it.
	 * @param record the stream record
	 * @param shardId the shard the record was read from
	 * @return {@code true} when the record is done, {@code false} when the consumer stopped before
	 */
	boolean dispatch(Record record, String shardId) {
		for (ActiveTrigger trigger : this.triggers) {
			if (!deliver(trigger, record, shardId)) {
				return false;
			}
		}
		return true;
	}

	private boolean deliver(ActiveTrigger trigger, Record record, String shardId) {
		BackOffExecution execution = null;
		Instant firstFailure = null;
		for (int attempt = 1; awaitRunnable(trigger); attempt++) {
			long start = System.nanoTime();
			try {
				if (!trigger.endpoint().accepts(EventType.of(record.eventName()))) {
					trigger.meters().record(RecordResult.FILTERED);
					return true;
				}
				if (attempt == 1 && isTooOld(record, trigger.policy())) {
					Instant now = this.clock.instant();
					return deadLetter(trigger, DeadLetterRecord.of(trigger.id(), this.table, shardId, record,
							DeadLetterReason.RECORD_TOO_OLD, null, 0, now, now), RecordResult.EXPIRED);
				}
				start = System.nanoTime();
				call(trigger, record);
				trigger.meters().handlerCall(System.nanoTime() - start, null);
				trigger.meters().record(RecordResult.HANDLED);
				return true;
			}
			catch (VirtualMachineError error) {
				throw error;
			}
			catch (Throwable ex) {
				trigger.meters().handlerCall(System.nanoTime() - start, ex);
				Instant now = this.clock.instant();
				firstFailure = (firstFailure != null) ? firstFailure : now;
				boolean retryable = !trigger.policy().isNonRetryable(ex);
				if (execution == null && retryable) {
					execution = trigger.policy().backOff().start();
				}
				long delay = retryable ? execution.nextBackOff() : BackOffExecution.STOP;
				if (delay == BackOffExecution.STOP) {
					return deadLetter(trigger, DeadLetterRecord.of(trigger.id(), this.table, shardId, record,
							retryable ? DeadLetterReason.RETRIES_EXHAUSTED : DeadLetterReason.NON_RETRYABLE, ex,
							attempt, firstFailure, now), RecordResult.DEAD_LETTERED);
				}
				log.warn("Trigger '{}' failed on record {} of table {} (shard {}, attempt {}); calling it again in {} ms: {}",
						trigger.id(), record.dynamodb().sequenceNumber(), this.table, shardId, attempt, delay,
						ex.toString());
				trigger.meters().record(RecordResult.RETRIED);
				if (awaitStop(delay)) {
					return false;
				}
			}
		}
		return false;
	}

	private void call(ActiveTrigger trigger, Record record) throws Throwable {
		if (this.observations.isNoop()) {
			trigger.endpoint().handle(record);
			return;
		}
		Observation.createNotStarted(OBSERVATION_NAME, this.observations)
			.contextualName(trigger.id() + " process")
			.lowCardinalityKeyValue("trigger", trigger.id())
			.lowCardinalityKeyValue("table", this.table)
			.highCardinalityKeyValue("sequence.number", record.dynamodb().sequenceNumber())
			.observeChecked(() -> trigger.endpoint().handle(record));
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
				log.warn("Dead-lettered record {} of table {} (shard {}) for trigger '{}': {} after {} attempt(s){}",
						deadLetter.sequenceNumber(), this.table, deadLetter.shardId(), deadLetter.triggerId(),
						deadLetter.reason(), deadLetter.attempts(), (deadLetter.exceptionClass() != null)
								? ": " + deadLetter.exceptionClass() + ": " + deadLetter.exceptionMessage() : "");
				return true;
			}
			catch (Exception ex) {
				long delay = execution.nextBackOff();
				if (delay == BackOffExecution.STOP) {
					execution = this.deadLetterBackOff.start();
					delay = execution.nextBackOff();
				}
				log.warn("Could not dead-letter record {} of table {} for trigger '{}'; the shard waits and tries again"
						+ " in {} ms", deadLetter.sequenceNumber(), this.table, deadLetter.triggerId(), delay, ex);
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
	 * Tells whether the consumer is stopping; no record is started after that.
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
