package io.dynamotrigger.listener;

import io.dynamotrigger.config.BatchSettings;
import io.dynamotrigger.config.TriggerEndpoint;
import io.dynamotrigger.error.ErrorPolicy;
import io.dynamotrigger.idempotency.IdempotentDelivery;
import io.dynamotrigger.metrics.TriggerMeters;

/**
 * A trigger as its table's consumer runs it: the endpoint, its error policy, batching and meters, its
 * idempotency step if it is idempotent, and whether it is paused.
 */
public final class ActiveTrigger {

	private final TriggerEndpoint endpoint;

	private final ErrorPolicy policy;

	private final TriggerMeters meters;

	private final BatchSettings batching;

	private final IdempotentDelivery idempotency;

	private volatile boolean paused;

	/**
	 * Runs a trigger with the batching its annotation declares.
	 * @param endpoint the trigger's method
	 * @param policy what happens when it fails
	 * @param meters what it does
	 */
	public ActiveTrigger(TriggerEndpoint endpoint, ErrorPolicy policy, TriggerMeters meters) {
		this(endpoint, policy, meters, endpoint.batching());
	}

	/**
	 * Runs a trigger.
	 * @param endpoint the trigger's method
	 * @param policy what happens when it fails
	 * @param meters what it does
	 * @param batching how its records are grouped into calls, if it is a batch trigger
	 */
	ActiveTrigger(TriggerEndpoint endpoint, ErrorPolicy policy, TriggerMeters meters, BatchSettings batching) {
		this(endpoint, policy, meters, batching, null);
	}

	/**
	 * Runs a trigger.
	 * @param endpoint the trigger's method
	 * @param policy what happens when it fails
	 * @param meters what it does
	 * @param batching how its records are grouped into calls, if it is a batch trigger
	 * @param idempotency its idempotency step, or {@code null} if it is not idempotent
	 */
	ActiveTrigger(TriggerEndpoint endpoint, ErrorPolicy policy, TriggerMeters meters, BatchSettings batching,
			IdempotentDelivery idempotency) {
		this.endpoint = endpoint;
		this.policy = policy;
		this.meters = meters;
		this.batching = batching;
		this.idempotency = idempotency;
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
		return this.paused;
	}

	void paused(boolean paused) {
		this.paused = paused;
	}

}
