package io.dynamotrigger.listener;

import io.dynamotrigger.backfill.StreamSeam;
import io.dynamotrigger.config.BatchSettings;
import io.dynamotrigger.config.TriggerEndpoint;
import io.dynamotrigger.error.ErrorPolicy;
import io.dynamotrigger.idempotency.IdempotentDelivery;
import io.dynamotrigger.metrics.TriggerMeters;
import io.dynamotrigger.pause.TriggerPause;
import io.dynamotrigger.window.WindowStateTable;

/**
 * A trigger as its table's consumer runs it: the endpoint, its error policy, batching and meters, its
 * idempotency step if it is idempotent, and whether it is paused (on this instance).
 */
public final class ActiveTrigger {

	private final TriggerEndpoint endpoint;

	private final ErrorPolicy policy;

	private final TriggerMeters meters;

	private final BatchSettings batching;

	private final TriggerPause pause;

	private final WindowStateTable windowStates;

	private final IdempotentDelivery idempotency;

	/** Where the trigger's stream waits for its backfill; {@code null} without one. */
	private volatile StreamSeam seam;

	/**
	 * Runs a trigger with the batching its annotation declares.
	 * @param endpoint the trigger's method
	 * @param policy what happens when it fails
	 * @param meters what it does
	 */
	public ActiveTrigger(TriggerEndpoint endpoint, ErrorPolicy policy, TriggerMeters meters) {
		this(endpoint, policy, meters, endpoint.batching(), new TriggerPause(TriggerPause.DEFAULT_MAX_HELD_RECORDS),
				null, null);
	}

	/**
	 * Runs a trigger.
	 * @param endpoint the trigger's method
	 * @param policy what happens when it fails
	 * @param meters what it does
	 * @param batching how its records are grouped into calls, if it is a batch trigger
	 * @param pause whether it is paused on this instance, and what its shards hold for it
	 * @param windowStates where its windows are kept, if it is a window trigger
	 * @param idempotency its idempotency step, or {@code null} if it is not idempotent
	 */
	ActiveTrigger(TriggerEndpoint endpoint, ErrorPolicy policy, TriggerMeters meters, BatchSettings batching,
			TriggerPause pause, WindowStateTable windowStates, IdempotentDelivery idempotency) {
		this.endpoint = endpoint;
		this.policy = policy;
		this.meters = meters;
		this.batching = batching;
		this.pause = pause;
		this.windowStates = windowStates;
		this.idempotency = idempotency;
	}

	WindowStateTable windowStates() {
		return this.windowStates;
	}

	TriggerEndpoint endpoint() {
		return this.endpoint;
	}

	String id() {
		return this.endpoint.id();
	}

	ErrorPolicy policy() {
		return this.policy;
	}

	TriggerMeters meters() {
		return this.meters;
	}

	BatchSettings batching() {
		return this.batching;
	}

	IdempotentDelivery idempotency() {
		return this.idempotency;
	}

	boolean isPaused() {
		return this.pause.isPaused();
	}

	TriggerPause pause() {
		return this.pause;
	}

	StreamSeam seam() {
		return this.seam;
	}

	void seam(StreamSeam seam) {
		this.seam = seam;
	}

	/**
	 * Tells whether the trigger's stream records wait for its backfill, which holds the table's shards as a
	 * pause does.
	 */
	boolean isHeldByBackfill() {
		StreamSeam current = this.seam;
		return current != null && !current.isScanned();
	}

}
