package io.dynamotrigger.config;

import java.time.Duration;

import io.dynamotrigger.error.ErrorPolicy;

/**
 * How one trigger runs.
 *
 * @param enabled {@code false} leaves the trigger out: it is discovered but never called
 * @param autoStartup {@code false} keeps the trigger's table consumer stopped until it is started (all
 * triggers of a table share one consumer, so they must agree)
 * @param errorPolicy what happens when the trigger fails
 * @param batchSize the most records per call of a batch trigger, replacing the annotation's
 * {@code batchSize}; {@code null} for the annotation's
 * @param batchWindow how long a batch trigger's unfilled batch waits for more records, replacing the
 * annotation's {@code batchWindow}; {@code null} for the annotation's
 */
public record TriggerSettings(boolean enabled, boolean autoStartup, ErrorPolicy errorPolicy, Integer batchSize,
		Duration batchWindow) {

}
