package io.dynamotrigger.listener;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.dynamotrigger.TriggerContext;
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
 * the triggers; batch triggers get the accepted records of each read in one call, after the per-record
 * triggers. Filters run on the raw record, before any mapping. A failing trigger is called again as its
 * {@link ErrorPolicy} says (a batch trigger with the whole batch); a record the policy gives up on (each
 * record of a batch) goes to the {@link DeadLetterHandler}, which is offered it until it takes it. A record
 * is done when every trigger has filtered it out, handled or dead-lettered it; nothing is skipped.
 */
final class RecordDispatcher {

	private static final Logger log = LoggerFactory.getLogger(RecordDispatcher.class);

	private final String table;

	private final List<Target> recordTargets;

	private final List<Target> batchTargets;

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
		List<Target> targets = endpoints.stream()
			.map((endpoint) -> new Target(endpoint, policies.apply(endpoint.id())))
			.toList();
		this.recordTargets = targets.stream().filter((target) -> !target.endpoint().isBatch()).toList();
		this.batchTargets = targets.stream().filter((target) -> target.endpoint().isBatch()).toList();
		this.deadLetters = deadLetters;
		this.deadLetterBackOff = deadLetterBackOff;
		this.clock = clock;
	}

	/**
	 * Delivers one record to every trigger that accepts it, as a batch of one.
	 * @param record the stream record
	 * @param shardId the shard the record was read from
	 * @return {@code true} when the record is done, {@code false} when the consumer stopped before
	 */
	boolean dispatch(Record record, String shardId) {
		return dispatch(List.of(record), shardId) == 1;
	}

	/**
	 * Delivers the records of one read of a shard: first to the per-record triggers, record by record in
	 * stream order, each record to every trigger in trigger order; then each batch trigger gets the records
	 * it accepts, in one call.
	 * @param records the records, in stream order
	 * @param shardId the shard they were read from
	 * @return how many records, from the first on, are done by every trigger; fewer than all only when the
	 * consumer stopped
	 */
	int dispatch(List<Record> records, String shardId) {
		int done = 0;
		for (Record record : records) {
			if (!deliverToRecordTargets(record, shardId)) {
				break;
			}
			done++;
		}
		if (this.batchTargets.isEmpty()) {
			return done;
		}
		if (done < records.size()) {
			return 0;
		}
		for (Target target : this.batchTargets) {
			if (!deliver(target, records, shardId)) {
				return 0;
			}
		}
		return done;
	}

	private boolean deliverToRecordTargets(Record record, String shardId) {
		if (isStopped()) {
			return false;
		}
		List<Record> single = List.of(record);
		for (Target target : this.recordTargets) {
			if (!deliver(target, single, shardId)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Calls a trigger once for the records it accepts (one record, or a batch), again per its error policy
	 * when it fails, and dead-letters each of them when the policy gives up.
	 */
	private boolean deliver(Target target, List<Record> records, String shardId) {
		ErrorPolicy policy = target.policy();
		TriggerEndpoint endpoint = target.endpoint();
		List<Record> accepted = null;
		Instant first = null;
		BackOffExecution execution = null;
		for (int attempt = 1; !isStopped(); attempt++) {
			try {
				if (accepted == null) {
					accepted = accepted(target, records, shardId);
					if (accepted == null) {
						return false;
					}
				}
				if (!accepted.isEmpty()) {
					Record last = accepted.get(accepted.size() - 1);
					endpoint.handle(accepted, new TriggerContext(endpoint.id(), this.table, shardId,
							last.dynamodb().sequenceNumber(), attempt, last.dynamodb().approximateCreationDateTime()));
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
				List<Record> failed = (accepted != null) ? accepted : records;
				if (delay == BackOffExecution.STOP) {
					for (Record record : failed) {
						if (!deadLetter(DeadLetterRecord.of(endpoint.id(), this.table, shardId, record,
								retryable ? DeadLetterReason.RETRIES_EXHAUSTED : DeadLetterReason.NON_RETRYABLE, ex,
								attempt, first, now))) {
							return false;
						}
					}
					return true;
				}
				log.warn("Trigger '{}' failed on record {} of table {} (shard {}, attempt {}); calling it again in {} ms: {}",
						endpoint.id(), sequenceNumbers(failed), this.table, shardId, attempt, delay, ex.toString());
				if (awaitStop(delay)) {
					return false;
				}
			}
		}
		return false;
	}

	/**
	 * Returns the records the trigger's filters accept, in order, after dead-lettering those too old for
	 * its policy; {@code null} if the consumer stopped meanwhile.
	 */
	private List<Record> accepted(Target target, List<Record> records, String shardId) {
		List<Record> accepted = new ArrayList<>(records.size());
		for (Record record : records) {
			if (!target.endpoint().accepts(record)) {
				continue;
			}
			if (isTooOld(record, target.policy())) {
				Instant now = this.clock.instant();
				if (!deadLetter(DeadLetterRecord.of(target.endpoint().id(), this.table, shardId, record,
						DeadLetterReason.RECORD_TOO_OLD, null, 0, now, now))) {
					return null;
				}
				continue;
			}
			accepted.add(record);
		}
		return accepted;
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
