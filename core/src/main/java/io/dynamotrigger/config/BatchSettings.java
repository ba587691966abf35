package io.dynamotrigger.config;

import java.time.Duration;

/**
 * How a batch trigger's records are grouped into calls, per shard: a call gets at most {@code size}
 * records, and a record waits at most {@code window} for more to fill its batch.
 *
 * @param size the most records per call, 1 to {@value #MAX_SIZE}
 * @param window how long the first record of an unfilled batch waits for more, 0 to {@link #MAX_WINDOW};
 * 0 calls the trigger after each read with what the read brought
 */
public record BatchSettings(int size, Duration window) {

	/** The most records per call unless set. */
	static final int DEFAULT_SIZE = 100;

	/** The most records a batch may be set to hold. */
	static final int MAX_SIZE = 10_000;

	/** The allowed sizes, for messages. */
	public static final String SIZE_RANGE = "a number between 1 and " + MAX_SIZE;

	/** The allowed windows, for messages. */
	public static final String WINDOW_RANGE = "a duration between 0 and 5m, e.g. 500ms, 5s or PT5S";

	/** The longest a batch may be set to wait. */
	static final Duration MAX_WINDOW = Duration.ofMinutes(5);

	/** {@value #DEFAULT_SIZE} records, no waiting. */
	public static final BatchSettings DEFAULTS = new BatchSettings(DEFAULT_SIZE, Duration.ZERO);

	/**
	 * Returns these settings with the values that are set replaced.
	 * @param size the size, or {@code null} to keep this one
	 * @param window the window, or {@code null} to keep this one
	 * @return the settings
	 */
	public BatchSettings with(Integer size, Duration window) {
		return new BatchSettings((size != null) ? size : this.size, (window != null) ? window : this.window);
	}

	@Override
	public String toString() {
		return "batch size " + this.size + ", batch window " + this.window;
	}

	/**
	 * Tells whether a batch size is allowed.
	 * @param size the size
	 * @return whether it is 1 to {@value #MAX_SIZE}
	 */
	public static boolean isAllowedSize(int size) {
		return size >= 1 && size <= MAX_SIZE;
	}

	/**
	 * Tells whether a batch window is allowed.
	 * @param window the window
	 * @return whether it is 0 to {@link #MAX_WINDOW}
	 */
	public static boolean isAllowedWindow(Duration window) {
		return !window.isNegative() && window.compareTo(MAX_WINDOW) <= 0;
	}

}
