package io.dynamotrigger.config;

/**
 * Where a trigger starts reading a stream that it has no checkpoint for.
 */
public enum StartingPosition {

	/** The oldest record the stream still holds (up to 24 hours back): nothing written since is missed. */
	TRIM_HORIZON,

	/** Only records written after the consumer started. */
	LATEST

}
