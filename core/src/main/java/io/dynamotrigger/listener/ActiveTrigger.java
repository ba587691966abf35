package io.dynamotrigger.listener;

import io.dynamotrigger.error.ErrorPolicy;
import io.dynamotrigger.metrics.TriggerMeters;

/**
 * A trigger as its table's consumer runs it: the endpoint, its error policy and meters, and whether it
 * is paused.
 */
final class ActiveTrigger {

	private final TriggerEndpoint endpoint;

	private final ErrorPolicy policy;

	private final TriggerMeters meters;

	private volatile boolean paused;

	ActiveTrigger(TriggerEndpoint endpoint, ErrorPolicy policy, TriggerMeters meters) {
		this.endpoint = endpoint;
		this.policy = policy;
		this.meters = meters;
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

	boolean isPaused() {
		return this.paused;
	}

	void paused(boolean paused) {
		this.paused = paused;
	}

}
