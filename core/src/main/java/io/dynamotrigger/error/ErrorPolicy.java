package io.dynamotrigger.error;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.dynamotrigger.BatchFailureException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * What happens when a trigger fails on a record: how often and how far apart it is called again, which
 * exceptions are not worth another call, and how old a record may be before it goes to the dead letters
 * without a call. A record the policy gives up on is dead-lettered; it is never skipped.
 *
 * <p>The policy also carries this out: {@link #deliver} drives the calls of one trigger with one record or
 * one batch, the same way for a stream consumer and a Lambda invocation.
 *
 * @param backOff the pauses between calls; when it returns {@code STOP} the record is dead-lettered
 * @param nonRetryable exception types (and their subtypes) that dead-letter the record at once
 * @param maxRecordAge records older than this (by their approximate creation time) are dead-lettered
 * without a call; {@code null} for no limit
 * @param bisectBatchOnError for batch triggers: when a batch fails without saying which records failed,
 * split it in halves and deliver each half on its own (recursively), so that a bad record ends up alone
 * and only it is retried and dead-lettered
 */
public record ErrorPolicy(BackOff backOff, Set<Class<? extends Throwable>> nonRetryable, Duration maxRecordAge,
		boolean bisectBatchOnError) {

	/**
	 * Creates a policy; the exception types are copied.
	 */
	public ErrorPolicy {
		nonRetryable = Set.copyOf(nonRetryable);
	}

	/**
	 * Creates a policy that does not bisect batches.
	 * @param backOff the pauses between calls
	 * @param nonRetryable exception types that dead-letter the record at once
	 * @param maxRecordAge the maximum record age, or {@code null}
	 */
	public ErrorPolicy(BackOff backOff, Set<Class<? extends Throwable>> nonRetryable, Duration maxRecordAge) {
		this(backOff, nonRetryable, maxRecordAge, false);
	}

	/**
	 * An exponential back-off that allows {@code maxAttempts} calls in all.
	 * @param initialInterval the pause after the first failure
	 * @param multiplier the growth of each following pause
	 * @param maxInterval the longest pause
	 * @param maxAttempts calls in all, the first included; at least 1
	 * @return the back-off
	 */
	public static BackOff exponentialBackOff(Duration initialInterval, double multiplier, Duration maxInterval,
			int maxAttempts) {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("max-attempts must be at least 1 (the first call), not " + maxAttempts);
		}
		ExponentialBackOff backOff = new ExponentialBackOff(initialInterval.toMillis(), multiplier);
		backOff.setMaxInterval(maxInterval.toMillis());
		backOff.setMaxAttempts(maxAttempts - 1);
		return backOff;
	}

	/**
	 * Tells whether an exception dead-letters the record without another call.
	 * @param exception what the trigger threw
	 * @return whether it is of a non-retryable type
	 */
	public boolean isNonRetryable(Throwable exception) {
		for (Class<? extends Throwable> type : this.nonRetryable) {
			if (type.isInstance(exception)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Delivers records to one trigger as this policy says: records older than {@link #maxRecordAge()} go to the
	 * dead letters without a call; the others are passed in one call, and when it fails the call is made again
	 * after the back-off's pause, with only the records a {@link BatchFailureException} names, or (with
	 * {@link #bisectBatchOnError()}) with each half of the batch on its own; records the policy gives up on
	 * are dead-lettered one by one, in order.
	 * @param records the records, in stream order, that the trigger's filters accepted; one for a
	 * per-record trigger
	 * @param delivery the trigger's calls, dead letters and waits
	 * @return {@code true} when every record is handled or dead-lettered, {@code false} when the consumer
	 * stopped or the trigger was paused before
	 */
	public boolean deliver(List<Record> records, Delivery delivery) {
		if (!delivery.awaitCall(1)) {
			return false;
		}
		List<Record> fresh = records;
		if (this.maxRecordAge != null) {
			Instant now = delivery.now();
			fresh = null;
			for (int i = 0; i < records.size(); i++) {
				Record record = records.get(i);
				Instant created = record.dynamodb().approximateCreationDateTime();
				if (created != null && created.plus(this.maxRecordAge).isBefore(now)) {
					fresh = (fresh != null) ? fresh : new ArrayList<>(records.subList(0, i));
					if (!delivery.deadLetter(record, DeadLetterReason.RECORD_TOO_OLD, null, 0, now, now)) {
						return false;
					}
				}
				else if (fresh != null) {
					fresh.add(record);
				}
			}
			fresh = (fresh != null) ? fresh : records;
		}
		return fresh.isEmpty() || callUntilDone(fresh, delivery);
	}

	/**
	 * Calls the trigger until it succeeds or the policy gives up; the first call is due at once.
	 */
	private boolean callUntilDone(List<Record> records, Delivery delivery) {
		BackOffExecution execution = null;
		Instant firstFailure = null;
		for (int attempt = 1; attempt == 1 || delivery.awaitCall(attempt); attempt++) {
			try {
				delivery.call(records, attempt);
				delivery.handled(records.size());
				return true;
			}
			catch (VirtualMachineError error) {
				throw error;
			}
			catch (Throwable ex) {
				if (records.size() > 1) {
					if (ex instanceof BatchFailureException partial) {
						List<Record> stillFailing = failedRecords(records, partial);
						if (stillFailing != null) {
							delivery.handled(records.size() - stillFailing.size());
							records = stillFailing;
							if (records.isEmpty()) {
								return true;
							}
						}
					}
					else if (this.bisectBatchOnError) {
						delivery.bisecting(records, ex);
						int half = records.size() / 2;
						return deliver(records.subList(0, half), delivery)
								&& deliver(records.subList(half, records.size()), delivery);
					}
				}
				Instant now = delivery.now();
				firstFailure = (firstFailure != null) ? firstFailure : now;
				boolean retryable = !isNonRetryable(ex);
				if (execution == null && retryable) {
					execution = this.backOff.start();
				}
				long delay = retryable ? execution.nextBackOff() : BackOffExecution.STOP;
				if (delay == BackOffExecution.STOP) {
					DeadLetterReason reason = retryable ? DeadLetterReason.RETRIES_EXHAUSTED
							: DeadLetterReason.NON_RETRYABLE;
					for (Record record : records) {
						if (!delivery.deadLetter(record, reason, ex, attempt, firstFailure, now)) {
							return false;
						}
					}
					return true;
				}
				if (!delivery.awaitRetry(records, attempt, delay, ex)) {
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
	 * What {@link #deliver} drives for one trigger: its calls, its dead letters and the waits between calls.
	 * The record pipeline of each runtime implements it; the methods that wait return {@code false} when the
	 * consumer stopped meanwhile.
	 */
	public interface Delivery {

		/**
		 * Tells whether the trigger may be called now.
		 * @param attempt the number of the call about to be made, from 1
		 * @return {@code false} if the consumer stopped or the trigger is paused, and the call is not to be made
		 */
		boolean awaitCall(int attempt);

		/**
		 * Calls the trigger once.
		 * @param records the records of the call, in stream order
		 * @param attempt the number of the call, from 1
		 * @throws Throwable what the trigger (or the mapping of its argument) threw
		 */
		void call(List<Record> records, int attempt) throws Throwable;

		/**
		 * Tells that records are done for the trigger.
		 * @param records how many
		 */
		void handled(int records);

		/**
		 * Waits before calling the trigger again after it failed.
		 * @param records the records it failed on
		 * @param attempt the number of the call that failed
		 * @param delayMillis the pause
		 * @param failure what it threw
		 * @return {@code false} if the consumer stopped or the trigger was paused meanwhile
		 */
		boolean awaitRetry(List<Record> records, int attempt, long delayMillis, Throwable failure);

		/**
		 * Tells that a failed batch is split in halves, each delivered on its own.
		 * @param batch the batch
		 * @param failure what the trigger threw
		 */
		void bisecting(List<Record> batch, Throwable failure);

		/**
		 * Dead-letters a record the policy gives up on.
		 * @param record the record
		 * @param reason why
		 * @param failure the last failure, or {@code null} for a record too old to be delivered
		 * @param attempts the calls made with it
		 * @param firstFailure when the first call failed
		 * @param lastFailure when the last call failed
		 * @return {@code false} if the record is not dead-lettered (the consumer stopped first, or the caller
		 * keeps it), so it is not done
		 */
		boolean deadLetter(Record record, DeadLetterReason reason, Throwable failure, int attempts,
				Instant firstFailure, Instant lastFailure);

		/**
		 * Returns the time, for record ages and failure times.
		 * @return now
		 */
		Instant now();

	}

}
