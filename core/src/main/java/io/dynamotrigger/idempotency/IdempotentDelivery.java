package io.dynamotrigger.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.dynamotrigger.error.DeadLetterReason;
import io.dynamotrigger.error.ErrorPolicy;
import io.dynamotrigger.idempotency.IdempotencyMeters.Operation;
import io.dynamotrigger.idempotency.IdempotencyTable.Claim;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * The idempotency step of one trigger, around its error policy: before the trigger is called, each record is
 * claimed in the {@link IdempotencyTable}; a record the trigger completed already is skipped (counted, and
 * logged at DEBUG), a record another consumer holds is waited for until that claim completes or runs out; after
 * the policy is done, the handled records are marked completed and the dead-lettered ones released (a redrive
 * calls the trigger again). A batch trigger gets only the records not completed yet.
 *
 * <p>While the table cannot be reached, the step waits (doubling pauses up to 5 s, a WARN each time) and so
 * its shard does; nothing is skipped and nothing dead-lettered for it. Only a stop ends the wait, with the
 * records not done.
 */
public final class IdempotentDelivery {

	private static final Logger log = LoggerFactory.getLogger(IdempotentDelivery.class);

	private static final long FIRST_PAUSE_MILLIS = 100;

	private static final long LONGEST_PAUSE_MILLIS = 5_000;

	private static final long LONGEST_LOCK_CHECK_MILLIS = 1_000;

	private final String triggerId;

	private final IdempotencyTable table;

	private final IdempotencyKey userKey;

	private final IdempotencyMeters meters;

	private final Clock clock;

	private final AtomicBoolean unkeyedReported = new AtomicBoolean();

	/**
	 * Creates the step of one trigger.
	 * @param triggerId the trigger
	 * @param table where claims and completions are kept
	 * @param userKey the key of records without an event id, or {@code null} to deliver such records without
	 * the idempotency step (with a WARN, once)
	 * @param meters what the step does
	 * @param clock the time, to wait for other claims
	 */
	public IdempotentDelivery(String triggerId, IdempotencyTable table, IdempotencyKey userKey,
			IdempotencyMeters meters, Clock clock) {
		this.triggerId = triggerId;
		this.table = table;
		this.userKey = userKey;
		this.meters = meters;
		this.clock = clock;
	}

	/**
	 * Returns a record's key in the idempotency table: the trigger id with the record's event id, or with the
	 * application's key when the record has no event id.
	 * @param record the record
	 * @return the key, or {@code null} when the record has neither
	 * @throws IllegalStateException if the application's key fails or is blank
	 */
	String keyOf(Record record) {
		if (record.eventID() != null) {
			return this.triggerId + "#" + record.eventID();
		}
		if (this.userKey == null) {
			return null;
		}
		String key;
		try {
			key = this.userKey.keyOf(record);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("The IdempotencyKey of trigger '" + this.triggerId
					+ "' failed on a record without an event id: " + ex, ex);
		}
		if (key == null || key.isBlank()) {
			throw new IllegalStateException("The IdempotencyKey of trigger '" + this.triggerId
					+ "' returned a blank key for a record without an event id; it must return a key for every record.");
		}
		return this.triggerId + "#key#" + key;
	}

	/**
	 * Delivers records through the trigger's error policy, each at most once successfully.
	 * @param records the records the trigger accepted, in stream order; one for a per-record trigger
	 * @param policy the trigger's error policy
	 * @param delivery the trigger's calls, dead letters and waits
	 * @param waiter the waits of this step, ended by a stop
	 * @return {@code true} when every record is skipped, handled or dead-lettered, {@code false} when the consumer
	 * stopped before
	 */
	public boolean deliver(List<Record> records, ErrorPolicy policy, ErrorPolicy.Delivery delivery, Waiter waiter) {
		// A paused trigger claims nothing: a claim held through a long pause would run out.
		if (!delivery.awaitCall(1)) {
			return false;
		}
		List<String> keys = new ArrayList<>(records.size());
		List<Record> keyed = new ArrayList<>(records.size());
		for (Record record : records) {
			try {
				keys.add(keyOf(record));
				keyed.add(record);
			}
			catch (RuntimeException ex) {
				// The application's key failed: the record fails as a call would, and is retried and dead-lettered.
				if (!policy.deliver(List.of(record), new KeyFailure(delivery, ex))) {
					return false;
				}
			}
		}
		records = keyed;
		if (records.isEmpty()) {
			return true;
		}
		Set<String> completed = Set.of();
		if (records.size() > 1) {
			List<String> known = keys.stream().filter((key) -> key != null).distinct().toList();
			completed = untilAnswered(Operation.READ, () -> this.table.completed(known), waiter);
			if (completed == null) {
				return false;
			}
		}
		String owner = UUID.randomUUID().toString();
		List<Record> todo = new ArrayList<>(records.size());
		List<String> claimed = new ArrayList<>(records.size());
		for (int i = 0; i < records.size(); i++) {
			Record record = records.get(i);
			String key = keys.get(i);
			if (key == null) {
				reportUnkeyed(record);
				todo.add(record);
				continue;
			}
			// The same change twice in one batch (an application key) is claimed once.
			Claim.Outcome outcome = (completed.contains(key) || claimed.contains(key)) ? Claim.Outcome.COMPLETED
					: claim(key, owner, waiter);
			if (outcome == null) {
				releaseAll(claimed, owner);
				return false;
			}
			if (outcome == Claim.Outcome.COMPLETED) {
				skipped(record);
			}
			else {
				todo.add(record);
				claimed.add(key);
			}
		}
		if (todo.isEmpty()) {
			return true;
		}
		DeadLetterTracking tracking = new DeadLetterTracking(delivery);
		if (!policy.deliver(todo, tracking)) {
			releaseAll(claimed, owner);
			return false;
		}
		List<String> handled = claimed;
		List<String> deadLettered = List.of();
		if (!tracking.deadLettered.isEmpty()) {
			deadLettered = tracking.deadLettered.stream().map(this::keyOf).filter((key) -> key != null).toList();
			handled = new ArrayList<>(claimed);
			handled.removeAll(deadLettered);
		}
		if (!handled.isEmpty()) {
			List<String> done = handled;
			if (untilAnswered(Operation.COMPLETE, () -> {
				this.table.complete(done);
				return Boolean.TRUE;
			}, waiter) == null) {
				return false;
			}
		}
		releaseAll(deadLettered, owner);
		return true;
	}

	/**
	 * Calls the trigger with a record unless it handled the record already (a redrive): the record is claimed
	 * first, marked completed after a successful call and released after a failed one.
	 * @param record the record
	 * @param call calls the trigger
	 * @return {@code true} if the trigger was called, {@code false} if the record was skipped as handled already
	 * @throws IllegalStateException if another consumer holds the record now
	 * @throws Exception what the call threw, or the error of the idempotency table
	 */
	public boolean callOnce(Record record, Call call) throws Exception {
		String key = keyOf(record);
		if (key == null) {
			reportUnkeyed(record);
			call.run();
			return true;
		}
		String owner = UUID.randomUUID().toString();
		Claim claim = timed(Operation.CLAIM, () -> this.table.claim(key, owner));
		if (claim.outcome() == Claim.Outcome.COMPLETED) {
			skipped(record);
			return false;
		}
		if (claim.outcome() == Claim.Outcome.IN_PROGRESS) {
			throw new IllegalStateException("Record " + record.dynamodb().sequenceNumber() + " of trigger '"
					+ this.triggerId + "' is being handled elsewhere (claimed until " + claim.lockedUntil()
					+ "); redrive it after that");
		}
		try {
			call.run();
		}
		catch (Exception | Error ex) {
			release(key, owner);
			throw ex;
		}
		timed(Operation.COMPLETE, () -> {
			this.table.complete(List.of(key));
			return Boolean.TRUE;
		});
		return true;
	}

	/**
	 * Claims a record, waiting while another claim holds it or the table cannot be reached.
	 * @return {@link Claim.Outcome#CLAIMED} or {@link Claim.Outcome#COMPLETED}; {@code null} if stopped
	 */
	private Claim.Outcome claim(String key, String owner, Waiter waiter) {
		boolean reported = false;
		while (true) {
			Claim claim = untilAnswered(Operation.CLAIM, () -> this.table.claim(key, owner), waiter);
			if (claim == null) {
				return null;
			}
			if (claim.outcome() != Claim.Outcome.IN_PROGRESS) {
				return claim.outcome();
			}
			if (!reported) {
				log.info("Record {} of trigger '{}' is claimed by another consumer until {}; waiting for it to complete"
						+ " or run out", key, this.triggerId, claim.lockedUntil());
				reported = true;
			}
			long untilExpiry = Duration.between(this.clock.instant(), claim.lockedUntil()).toMillis() + 1;
			if (!waiter.await(Math.max(10, Math.min(untilExpiry, LONGEST_LOCK_CHECK_MILLIS)))) {
				return null;
			}
		}
	}

	/**
	 * Gives up claims, once each; a claim that cannot be given up runs out after the lock timeout.
	 */
	private void releaseAll(List<String> keys, String owner) {
		for (String key : keys) {
			release(key, owner);
		}
	}

	private void release(String key, String owner) {
		try {
			timed(Operation.RELEASE, () -> {
				this.table.release(key, owner);
				return Boolean.TRUE;
			});
		}
		catch (SdkException ex) {
			log.warn("Could not release the claim of record {} of trigger '{}' in idempotency table {}; it runs out"
					+ " in {}: {}", key, this.triggerId, this.table.tableName(), this.table.lockTimeout(), ex.toString());
		}
	}

	private void skipped(Record record) {
		this.meters.skipped();
		log.debug("Trigger '{}' handled record {} (event {}) already; not calling it again", this.triggerId,
				record.dynamodb().sequenceNumber(), record.eventID());
	}

	private void reportUnkeyed(Record record) {
		if (this.unkeyedReported.compareAndSet(false, true)) {
			log.warn("Record {} has no event id and trigger '{}' names no idempotencyKey: such records are delivered"
					+ " at least once, without the idempotency step. Name an IdempotencyKey bean in the annotation's"
					+ " idempotencyKey.", record.dynamodb().sequenceNumber(), this.triggerId);
		}
	}

	/**
	 * Calls the table until it answers; waits between tries.
	 * @return the answer, or {@code null} if stopped
	 */
	private <T> T untilAnswered(Operation operation, Supplier<T> request, Waiter waiter) {
		long pause = FIRST_PAUSE_MILLIS;
		while (true) {
			try {
				return timed(operation, request);
			}
			catch (SdkException ex) {
				log.warn("Trigger '{}' cannot reach idempotency table {} ({}); its shard waits, trying again in {} ms: {}",
						this.triggerId, this.table.tableName(), operation.name().toLowerCase(), pause, ex.toString());
				if (!waiter.await(pause)) {
					return null;
				}
				pause = Math.min(pause * 2, LONGEST_PAUSE_MILLIS);
			}
		}
	}

	private <T> T timed(Operation operation, Supplier<T> request) {
		long start = System.nanoTime();
		try {
			T answer = request.get();
			this.meters.storeCall(operation, System.nanoTime() - start, true);
			return answer;
		}
		catch (RuntimeException ex) {
			this.meters.storeCall(operation, System.nanoTime() - start, false);
			throw ex;
		}
	}

	/**
	 * Waits of the idempotency step.
	 */
	@FunctionalInterface
	public interface Waiter {

		/**
		 * Waits, unless the consumer stops.
		 * @param millis how long
		 * @return {@code false} if the consumer stopped
		 */
		boolean await(long millis);

	}

	/**
	 * A call of the trigger.
	 */
	@FunctionalInterface
	public interface Call {

		/**
		 * Calls the trigger.
		 * @throws Exception what it threw
		 */
		void run() throws Exception;

	}

	/**
	 * The trigger's delivery of a record whose key the application's {@link IdempotencyKey} could not build:
	 * every call fails with what the key threw, without calling the trigger.
	 */
	private static final class KeyFailure extends DeadLetterTracking {

		private final RuntimeException failure;

		KeyFailure(ErrorPolicy.Delivery delivery, RuntimeException failure) {
			super(delivery);
			this.failure = failure;
		}

		@Override
		public void call(List<Record> records, int attempt) {
			throw this.failure;
		}

	}

	/**
	 * The trigger's delivery, noting which records it dead-letters.
	 */
	private static class DeadLetterTracking implements ErrorPolicy.Delivery {

		private final ErrorPolicy.Delivery delivery;

		private final Set<Record> deadLettered = Collections.newSetFromMap(new IdentityHashMap<>());

		DeadLetterTracking(ErrorPolicy.Delivery delivery) {
			this.delivery = delivery;
		}

		@Override
		public boolean awaitCall(int attempt) {
			return this.delivery.awaitCall(attempt);
		}

		@Override
		public void call(List<Record> records, int attempt) throws Throwable {
			this.delivery.call(records, attempt);
		}

		@Override
		public void handled(int records) {
			this.delivery.handled(records);
		}

		@Override
		public boolean awaitRetry(List<Record> records, int attempt, long delayMillis, Throwable failure) {
			return this.delivery.awaitRetry(records, attempt, delayMillis, failure);
		}

		@Override
		public void bisecting(List<Record> batch, Throwable failure) {
			this.delivery.bisecting(batch, failure);
		}

		@Override
		public boolean deadLetter(Record record, DeadLetterReason reason, Throwable failure, int attempts,
				Instant firstFailure, Instant lastFailure) {
			if (!this.delivery.deadLetter(record, reason, failure, attempts, firstFailure, lastFailure)) {
				return false;
			}
			this.deadLettered.add(record);
			return true;
		}

		@Override
		public Instant now() {
			return this.delivery.now();
		}

	}

}
