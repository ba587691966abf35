/**
 * Internal: tumbling windows with state, per shard ({@code @DynamoTrigger(window = ...)}): the prepared window
 * method ({@link io.dynamotrigger.window.WindowFunction}), the windows of one shard
 * ({@link io.dynamotrigger.window.ShardWindows}) and where their state is kept with the shard's checkpoint
 * ({@link io.dynamotrigger.window.WindowStateTable}).
 *
 * <p>Not API; public only for {@code io.dynamotrigger.config} and {@code io.dynamotrigger.listener}. May change
 * without notice.
 */
package io.dynamotrigger.window;
