package io.dynamotrigger.listener;

import io.dynamotrigger.error.ErrorPolicy;

/**
 * How one trigger runs.
 *
 * @param enabled {@code false} leaves the trigger out: it is discovered but never called
 * @param autoStartup {@code false} keeps the trigger's table consumer stopped until it is started (all
 * triggers of a table share one consumer, so they must agree)
 * @param errorPolicy what happens when the trigger fails
 */
public record TriggerSettings(boolean enabled, boolean autoStartup, ErrorPolicy errorPolicy) {

	/**
	 * Enabled, started with the application, default error policy.
	 * @return the default settings
	 */
	public static TriggerSettings defaults() {
		return new TriggerSettings(true, true, ErrorPolicy.defaults());
	}

}
