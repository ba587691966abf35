/**
 * What triggers and shards record: {@link io.dynamotrigger.metrics.TriggerMetrics} creates the meters, and the
 * starter binds it to Micrometer ({@link io.dynamotrigger.metrics.MicrometerTriggerMetrics}, meters named
 * {@code dynamo.trigger.*}) when the application has a {@code MeterRegistry}.
 *
 * <p>An application may define its own {@code TriggerMetrics} bean; the meter interfaces and result enums here
 * are what it implements and receives.
 */
package io.dynamotrigger.metrics;
