package io.dynamotrigger.kcl.polling;

import io.dynamotrigger.config.PollingMode;

/**
 * {@link PollingMode#FIXED}: the adapter's own rule, a fixed pause after a read that returned records and
 * twice that after an empty read; failed reads back off like in every mode.
 */
final class FixedPollingPolicy implements PollingPolicy {

	private final long intervalMillis;

	private final FailedReadBackOff failures = new FailedReadBackOff();

	FixedPollingPolicy(long intervalMillis) {
		this.intervalMillis = intervalMillis;
	}

	@Override
	public long delayAfter(ReadOutcome outcome) {
		return switch (outcome) {
			case RECORDS -> {
				this.failures.reset();
				yield this.intervalMillis;
			}
			case EMPTY -> {
				this.failures.reset();
				yield 2 * this.intervalMillis;
			}
			case THROTTLED, FAILED -> this.failures.afterFailure();
		};
	}

}
