/**
 * What a trigger is configured to do: the annotation processing that turns {@code @DynamoTrigger} methods into
 * {@link io.dynamotrigger.config.TriggerEndpoint}s, and the settings of triggers and table consumers (batching,
 * starting position, polling, lease tables), with the validation of tables and their streams at startup.
 *
 * <p>{@link io.dynamotrigger.config.TriggerEndpoint}, {@link io.dynamotrigger.config.BatchSettings} and
 * {@link io.dynamotrigger.config.TableStreamValidator} are public only so that the framework's own packages
 * ({@code listener}) can use them; they are not API and may change without notice.
 */
package io.dynamotrigger.config;
