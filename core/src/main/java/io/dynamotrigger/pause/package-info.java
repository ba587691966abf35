/**
 * Internal: pausing one trigger on this instance while the other triggers of its table go on. A paused
 * trigger's {@link io.dynamotrigger.pause.TriggerPause} says so; each shard keeps the records the trigger
 * accepted meanwhile in a {@link io.dynamotrigger.pause.ShardBacklog} (for a batch trigger, its pending batch
 * keeps them), which holds the shard's checkpoint at the oldest of them, and delivers them in stream order
 * once the trigger is resumed.
 *
 * <p>Not API: public only for {@code io.dynamotrigger.listener}, which runs the triggers; may change without
 * notice. What an operator sees is {@link io.dynamotrigger.status.PauseStatus}.
 */
package io.dynamotrigger.pause;
