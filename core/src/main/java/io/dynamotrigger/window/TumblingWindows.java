package io.dynamotrigger.window;

import java.time.Duration;
import java.time.Instant;

/**
 * How a window trigger's records fall into windows: by approximate creation time, in windows of one length
 * aligned to multiples of it since the epoch (a length divides an hour, so windows also start on the hour).
 *
 * @param length the window length: whole seconds, at most {@link #MAX_LENGTH}, dividing an hour
 */
public record TumblingWindows(Duration length) {

	/** The longest window, as in AWS Lambda ({@code TumblingWindowInSeconds} at most 900). */
	public static final Duration MAX_LENGTH = Duration.ofMinutes(15);

	/** The allowed lengths, for messages. */
	public static final String ALLOWED = "a whole number of seconds from 1s to 15m that divides an hour, e.g."
			+ " 10s, 30s, 1m (PT1M), 5m or 15m";

	/**
	 * Checks the length.
	 * @throws IllegalArgumentException if it is not {@link #isAllowed allowed}
	 */
	public TumblingWindows {
		if (!isAllowed(length)) {
			throw new IllegalArgumentException("window " + length + " is not " + ALLOWED);
		}
	}

	/**
	 * Tells whether a window length is allowed.
	 * @param length the length
	 * @return whether it is whole seconds, 1 s to 15 min, and divides an hour
	 */
	public static boolean isAllowed(Duration length) {
		return length.getNano() == 0 && length.getSeconds() >= 1 && length.compareTo(MAX_LENGTH) <= 0
				&& Duration.ofHours(1).getSeconds() % length.getSeconds() == 0;
	}

	/**
	 * Returns the start of the window a time falls in.
	 * @param time a record's approximate creation time
	 * @return the window's start, inclusive
	 */
	public Instant startOf(Instant time) {
		long seconds = this.length.getSeconds();
		return Instant.ofEpochSecond(Math.floorDiv(time.getEpochSecond(), seconds) * seconds);
	}

	/**
	 * Returns the end of a window.
	 * @param start the window's start
	 * @return its end, exclusive
	 */
	public Instant endOf(Instant start) {
		return start.plus(this.length);
	}

}
