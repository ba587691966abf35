package io.dynamotrigger.kcl.polling;

import io.dynamotrigger.config.PollingMode;

/**
 * {@link PollingMode#ADAPTIVE}: reads again at once after a read that returned records; after empty reads
 * waits 5 ms, then twice as long after each further empty read, up to the rest interval.
 *
 * <p>The adapter reports millis-behind-latest only for reads that returned records (the age of the last
 * one); an empty read means the reader has caught up. So "records returned" is the whole signal, and a
 * record written after a quiet period waits at most the rest interval (half of it on average) plus one call.
 */
final class AdaptivePollingPolicy implements PollingPolicy {

	static final long FIRST_STEP_MILLIS = 5;

	private final long restMillis;

	private final FailedReadBackOff failures = new FailedReadBackOff();

	private long nextEmptyStep = FIRST_STEP_MILLIS;

	AdaptivePollingPolicy(long restMillis) {
		this.restMillis = restMillis;
	}

	@Override
	public long delayAfter(ReadOutcome outcome) {
		return switch (outcome) {
			case RECORDS -> {
				this.failures.reset();
				this.nextEmptyStep = FIRST_STEP_MILLIS;
				yield 0;
			}
			case EMPTY -> {
				this.failures.reset();
				long delay = Math.min(this.restMillis, this.nextEmptyStep);
				this.nextEmptyStep = Math.min(this.restMillis, this.nextEmptyStep * 2);
				yield delay;
			}
			case THROTTLED, FAILED -> this.failures.afterFailure();
		};
	}

}
