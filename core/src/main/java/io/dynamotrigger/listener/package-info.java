/**
 * Internal: the running side of the triggers: the registry that starts one consumer per table stream, the
 * shard processor, and the record pipeline that the Lambda handler drives as well.
 *
 * <p>A record's path: KCL → {@link io.dynamotrigger.listener.ShardProcessor} →
 * {@link io.dynamotrigger.listener.RecordPipeline} (filter once, map and invoke through the
 * {@link io.dynamotrigger.listener.HandlerInvoker}) → on failure {@link io.dynamotrigger.error.ErrorPolicy}
 * (retry, bisect, partial failure, max age) → {@link io.dynamotrigger.listener.DeadLetterPublisher}; back in
 * the shard processor, the {@link io.dynamotrigger.listener.ShardCheckpointer} moves the "done" frontier and
 * checkpoints.
 *
 * <p>Not API, except {@link io.dynamotrigger.listener.TriggerRegistry}, which the auto-configuration declares
 * as a bean.
 * {@link io.dynamotrigger.listener.HandlerInvoker} is public only for {@code io.dynamotrigger.config}, which
 * prepares it at startup; {@link io.dynamotrigger.listener.RecordPipeline},
 * {@link io.dynamotrigger.listener.DeadLetterPublisher}, {@link io.dynamotrigger.listener.StopSignal} and
 * {@link io.dynamotrigger.listener.ActiveTrigger} are public only for the Lambda module's router. All may change
 * without notice.
 */
package io.dynamotrigger.listener;
