package io.dynamotrigger.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the consumers pace their GetRecords calls, for every shard of every table.
 *
 * <p>Whatever the mode, a failed or throttled read is followed by a pause of 250 ms that doubles with
 * each further failure up to 10 s, until a read succeeds.
 *
 * @param mode the pacing rule
 * @param restInterval {@link PollingMode#ADAPTIVE}: the longest pause between two reads, reached after a
 * few empty reads; it sets the calls per second per shard while no records arrive
 * @param fixedInterval {@link PollingMode#FIXED}: the pause after a read that returned records; after an
 * empty read the pause is twice as long
 */
public record PollingSettings(PollingMode mode, Duration restInterval, Duration fixedInterval) {

	/**
	 * Creates the settings.
	 * @throws IllegalArgumentException if the rest interval is not positive or the fixed interval is negative
	 */
	public PollingSettings {
		Objects.requireNonNull(mode, "mode");
		if (restInterval.isNegative() || restInterval.isZero()) {
			throw new IllegalArgumentException("The polling rest interval must be positive, but is " + restInterval);
		}
		if (fixedInterval.isNegative()) {
			throw new IllegalArgumentException("The fixed polling interval must not be negative, but is "
					+ fixedInterval);
		}
	}

	/**
	 * The defaults: adaptive, resting at 250 ms between reads (4 calls per second per shard).
	 * @return the default settings
	 */
	public static PollingSettings defaults() {
		return new PollingSettings(PollingMode.ADAPTIVE, Duration.ofMillis(250), Duration.ofMillis(250));
	}

}
