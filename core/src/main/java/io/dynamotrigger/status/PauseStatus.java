package io.dynamotrigger.status;

/**
 * A trigger paused on this instance, or one still being given what was held for it after its resume.
 *
 * @param paused whether it is paused now
 * @param heldRecords how many of its records the shards of this instance hold for it (as of each shard's last
 * read); they hold the shards' checkpoints at the oldest of them
 * @param waitingShards how many shards wait for it: they read {@code maxHeldRecords} records past its oldest
 * held record, and read no more until it is resumed (the table's other triggers wait with them)
 * @param maxHeldRecords how many records a shard reads past its oldest held record before it waits
 */
public record PauseStatus(boolean paused, long heldRecords, int waitingShards, int maxHeldRecords) {
}
