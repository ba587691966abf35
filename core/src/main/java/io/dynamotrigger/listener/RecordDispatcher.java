package io.dynamotrigger.listener;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.dynamotrigger.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Passes each record of a table's stream to every trigger of the table that accepts it, in the order of
 * the triggers, and calls a failing trigger again with back-off until it succeeds or the consumer stops;
 * when the back-off gives up it starts over. A record is done when every accepting trigger has handled
 * it; nothing is skipped.
 */
final class RecordDispatcher {

	private static final Logger log = LoggerFactory.getLogger(RecordDispatcher.class);

	private static final long MIN_DELAY_AFTER_EXHAUSTION_MILLIS = 1;

	private final String table;

	private final List<TriggerEndpoint> endpoints;

	private final BackOff backOff;

	private final CountDownLatch stopped = new CountDownLatch(1);

	RecordDispatcher(String table, List<TriggerEndpoint> endpoints, BackOff backOff) {
		this.table = table;
		this.endpoints = List.copyOf(endpoints);
		this.backOff = backOff;
	}

	/**
	 * Delivers one record to every trigger that accepts it.
	 * @param record the stream record
	 * @param shardId the shard the record was read from, for logs
	 * @return {@code true} when the record is done, {@code false} when the consumer stopped before
	 */
	boolean dispatch(Record record, String shardId) {
		for (TriggerEndpoint endpoint : this.endpoints) {
			if (!deliver(endpoint, record, shardId)) {
				return false;
			}
		}
		return true;
	}

	private boolean deliver(TriggerEndpoint endpoint, Record record, String shardId) {
		BackOffExecution execution = null;
		for (int attempt = 1; !isStopped(); attempt++) {
			try {
				if (endpoint.accepts(EventType.of(record.eventName()))) {
					endpoint.handle(record);
				}
				return true;
			}
			catch (VirtualMachineError error) {
				throw error;
			}
			catch (Throwable ex) {
				if (execution == null) {
					execution = this.backOff.start();
				}
				long delay = execution.nextBackOff();
				if (delay == BackOffExecution.STOP) {
					// Retries are used up, but with no dead-letter destination skipping the record would lose it:
					// it waits, going through the back-off again.
					execution = this.backOff.start();
					delay = Math.max(execution.nextBackOff(), MIN_DELAY_AFTER_EXHAUSTION_MILLIS);
				}
				log.warn("Trigger '{}' failed on table {}, shard {}, sequence number {} (attempt {}); retrying in {} ms",
						endpoint.id(), this.table, shardId, record.dynamodb().sequenceNumber(), attempt, delay, ex);
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

}
