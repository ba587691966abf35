/**
 * What a trigger is configured to do: the annotation processing that turns {@code @DynamoTrigger} methods into
 * {@link io.dynamotrigger.config.TriggerEndpoint}s, and the settings of triggers and table consumers (batching,
 * starting position, polling, lease tables), with the validation of tables and their streams at startup.
 *
 * <p>The endpoints go to the application's one {@link io.dynamotrigger.config.TriggerEndpointRegistrar}: the
 * starter's {@code TriggerRegistry}, which reads the streams, or the Lambda module's router, which is handed
 * the records.
 *
 * <p>{@link io.dynamotrigger.config.TriggerEndpoint}, {@link io.dynamotrigger.config.BatchSettings},
 * {@link io.dynamotrigger.config.TableStreamValidator} and {@link io.dynamotrigger.config.StreamArn} are public
 * only so that the framework's own packages and modules ({@code listener}, {@code kcl}, the Lambda module) can
 * use them; they are not API and may change without notice. So are the settings types
 * ({@link io.dynamotrigger.config.ConsumerSettings}, {@link io.dynamotrigger.config.TableConsumerSettings},
 * {@link io.dynamotrigger.config.TriggerSettings}, {@link io.dynamotrigger.config.PollingSettings},
 * {@link io.dynamotrigger.config.AwsClients}): the auto-configuration builds them from the
 * {@code dynamo-trigger.*} properties, which are the API. {@link io.dynamotrigger.config.StartingPosition} and
 * {@link io.dynamotrigger.config.PollingMode} are the values of those properties.
 */
package io.dynamotrigger.config;
