package io.dynamotrigger.listener;

import io.dynamotrigger.error.DeadLetterHandler;
import io.dynamotrigger.error.DeadLetterRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * A stream consumer's dead-letter step: offers each dead letter to the application's
 * {@link DeadLetterHandler} until it takes it, pausing between offers, so that the shard waits rather than
 * skip a record. Only a stop ends the offers, leaving the record not done.
 */
final class RetryingDeadLetterPublisher implements DeadLetterPublisher {

	private static final Logger log = LoggerFactory.getLogger(RetryingDeadLetterPublisher.class);

	/** The pauses between offers of a dead letter unless set: 1 s, doubling up to 30 s, without end. */
	static final BackOff DEFAULT_BACK_OFF = defaultBackOff();

	private final DeadLetterHandler handler;

	private final BackOff backOff;

	private final StopSignal stop;

	/**
	 * Creates the publisher of one table consumer.
	 * @param handler where dead letters go
	 * @param backOff the pauses between offers; it starts over when it returns {@code STOP}
	 * @param stop the consumer's stop
	 */
	RetryingDeadLetterPublisher(DeadLetterHandler handler, BackOff backOff, StopSignal stop) {
		this.handler = handler;
		this.backOff = backOff;
		this.stop = stop;
	}

	private static BackOff defaultBackOff() {
		ExponentialBackOff backOff = new ExponentialBackOff(1_000, 2.0);
		backOff.setMaxInterval(30_000);
		return backOff;
	}

	@Override
	public boolean publish(DeadLetterRecord deadLetter) {
		DeadLetterRecord.Source source = deadLetter.source();
		BackOffExecution execution = this.backOff.start();
		while (!this.stop.isStopped()) {
			try {
				this.handler.handle(deadLetter);
				DeadLetterRecord.Failure failure = deadLetter.failure();
				log.warn("Dead-lettered record {} of table {} (shard {}) for trigger '{}': {} after {} attempt(s){}",
						source.sequenceNumber(), source.table(), source.shardId(), source.triggerId(), failure.reason(),
						failure.attempts(), (failure.exceptionClass() != null)
								? ": " + failure.exceptionClass() + ": " + failure.exceptionMessage() : "");
				return true;
			}
			catch (Exception ex) {
				long delay = execution.nextBackOff();
				if (delay == BackOffExecution.STOP) {
					execution = this.backOff.start();
					delay = execution.nextBackOff();
				}
				log.warn("Could not dead-letter record {} of table {} for trigger '{}'; the shard waits and tries again"
						+ " in {} ms", source.sequenceNumber(), source.table(), source.triggerId(), delay, ex);
				if (this.stop.await(delay)) {
					return false;
				}
			}
		}
		return false;
	}

}
