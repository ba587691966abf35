package io.dynamotrigger.window;

import java.time.Instant;

/**
 * What is saved of one trigger's windows on one shard, before the shard is checkpointed past the records it
 * includes: the open window and its state, and the last record the windows include, so that records read
 * again after a restart or a lease move are recognised and not added twice.
 *
 * @param windowStart the open window's start, {@code null} when no window is open
 * @param stateJson the open window's state as JSON, {@code null} for none (before its first call returned one)
 * @param lastSequenceNumber the last record of the shard the windows include (in the open window's state, or
 * in a closed window), {@code null} before the first
 * @param closedUntil the end of the last closed window, {@code null} if none closed yet: a record that
 * arrives after its window closed goes to a later one
 */
public record SavedWindow(Instant windowStart, String stateJson, String lastSequenceNumber, Instant closedUntil) {

	/** Nothing saved yet. */
	static final SavedWindow NONE = new SavedWindow(null, null, null, null);

}
