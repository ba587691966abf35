package io.dynamotrigger.listener;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.dynamotrigger.EventType;
import io.dynamotrigger.error.DeadLetterHandler;
import io.dynamotrigger.error.DeadLetterReason;
import io.dynamotrigger.error.DeadLetterRecord;
import io.dynamotrigger.error.ErrorPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Passes each record of a table's stream to every trigger of the table that accepts it, in the order of
 * the triggers. A failing trigger is called again as its {@link ErrorPolicy} says; a record the policy
 * gives up on goes to the {@link DeadLetterHandler}, which is offered it until it takes it. A record is
 * done when every accepting trigger has handled or dead-lettered it; nothing is skipped.
 */
final class RecordDispatcher {

	private static final Logger log = LoggerFactory.getLogger(RecordDispatcher.class);

	private final String table;

	private final List<Target> targets;

	private final DeadLetterHandler deadLetters;

	private final BackOff deadLetterBackOff;

	private final Clock clock;

	private final CountDownLatch stopped = new CountDownLatch(1);

	/**
	 * Creates the dispatcher of one table.
	 * @param table the table
	 * @param endpoints the table's triggers, in calling order
	 * @param policies the error policy of each trigger, by id
	 * @param deadLetters where records go that a trigger gives up on
	 * @param deadLetterBackOff pauses between offers of a dead letter the handler did not take
	 * @param clock the time of failures and of record age checks
	 */
	RecordDispatcher(String table, List<TriggerEndpoint> endpoints, Function<String, ErrorPolicy> policies,
			DeadLetterHandler deadLetters, BackOff deadLetterBackOff, Clock clock) {
		this.table = table;
		this.targets = endpoints.stream().map((endpoint) -> new Target(endpoint, policies.apply(endpoint.id()))).toList();
		this.deadLetters = deadLetters;
		this.deadLetterBackOff = deadLetterBackOff;
		this.clock = clock;
	}

	/**
	 * Delivers one record to every trigger that accepts it.
	 * @param record the stream record
	 * @param shardId the shard the record was read from
	 * @return {@code true} when the record is done, {@code false} when the consumer stopped before
	 */
	boolean dispatch(Record record, String shardId) {
		for (Target target : this.targets) {
			if (!deliver(target, record, shardId)) {
				return false;
			}
		}
		return true;
	}

	private boolean deliver(Target target, Record record, String shardId) {
		ErrorPolicy policy = target.policy();
		Instant first = null;
		if (isTooOld(record, policy)) {
			first = this.clock.instant();
			return deadLetter(DeadLetterRecord.of(target.endpoint().id(), this.table, shardId, record,
					DeadLetterReason.RECORD_TOO_OLD, null, 0, first, first));
		}
		BackOffExecution execution = null;
		for (int attempt = 1; !isStopped(); attempt++) {
			try {
				if (target.endpoint().accepts(EventType.of(record.eventName()))) {
					target.endpoint().handle(record);
				}
				return true;
			}
			catch (VirtualMachineError error) {
				throw error;
			}
			catch (Throwable ex) {
				Instant now = this.clock.instant();
				first = (first != null) ? first : now;
				boolean retryable = !policy.isNonRetryable(ex);
				if (execution == null && retryable) {
					execution = policy.backOff().start();
				}
				long delay = retryable ? execution.nextBackOff() : BackOffExecution.STOP;
				if (delay == BackOffExecution.STOP) {
					return deadLetter(DeadLetterRecord.of(target.endpoint().id(), this.table, shardId, record,
							retryable ? DeadLetterReason.RETRIES_EXHAUSTED : DeadLetterReason.NON_RETRYABLE, ex,
							attempt, first, now));
				}
				log.warn("Trigger '{}' failed on record {} of table {} (shard {}, attempt {}); calling it again in {} ms: {}",
						target.endpoint().id(), record.dynamodb().sequenceNumber(), this.table, shardId, attempt, delay,
						ex.toString());
				if (awaitStop(delay)) {
					return false;
				}
			}
		}
		return false;
	}

	private boolean isTooOld(Record record, ErrorPolicy policy) {
		Duration maxAge = policy.maxRecordAge();
		Instant created = record.dynamodb().approximateCreationDateTime();
		return maxAge != null && created != null && created.plus(maxAge).isBefore(this.clock.instant());
	}

	private boolean deadLetter(DeadLetterRecord deadLetter) {
		BackOffExecution execution = this.deadLetterBackOff.start();
		while (!isStopped()) {
			try {
				this.deadLetters.handle(deadLetter);
				log.warn("Dead-lettered record {} of table {} (shard {}) for trigger '{}': {} after {} attempt(s){}",
						deadLetter.sequenceNumber(), this.table, deadLetter.shardId(), deadLetter.triggerId(),
						deadLetter.reason(), deadLetter.attempts(), (deadLetter.exceptionClass() != null)
								? ": " + deadLetter.exceptionClass() + ": " + deadLetter.exceptionMessage() : "");
				return true;
			}
			catch (Exception ex) {
				long delay = execution.nextBackOff();
				log.warn("Could not dead-letter record {} of table {} for trigger '{}'; the shard waits and tries again"
						+ " in {} ms", deadLetter.sequenceNumber(), this.table, deadLetter.triggerId(), delay, ex);
				if (delay == BackOffExecution.STOP) {
					execution = this.deadLetterBackOff.start();
					delay = execution.nextBackOff();
				}
				if (awaitStop(delay)) {
					return false;
				}
			}
		}
		return false;
	}

	private boolean awaitStop(long millis) {
		try {
			return this.stopped.await(millis, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return true;
		}
	}

	/**
	 * Tells whether the consumer is stopping; no record is started after that.
	 * @return whether {@link #stop()} was called
	 */
	boolean isStopped() {
		return this.stopped.getCount() == 0;
	}

	/**
	 * Stops delivering: a trigger waiting to be called again gives up, leaving its record not done.
	 */
	void stop() {
		this.stopped.countDown();
	}

	private record Target(TriggerEndpoint endpoint, ErrorPolicy policy) {
	}

}
