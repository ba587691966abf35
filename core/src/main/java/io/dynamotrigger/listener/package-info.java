/**
 * Internal: the running side of the triggers: the registry that starts one consumer per table stream, the
 * shard processor, and the record pipeline (filter, invoke, error policy, checkpoints) that the Lambda
 * handler drives as well.
 *
 * <p>Not API, except {@link io.dynamotrigger.listener.TriggerRegistry} and
 * {@link io.dynamotrigger.listener.StreamEventRouter}, which the auto-configuration declares as beans.
 * {@link io.dynamotrigger.listener.HandlerInvoker} is public only for {@code io.dynamotrigger.config}, which
 * prepares it at startup; it may change without notice.
 */
package io.dynamotrigger.listener;
