package io.dynamotrigger;

import java.time.Instant;

/**
 * Where a call of a tumbling-window trigger comes from: the trigger, table and shard, the window, and whether
 * this is the window's final call. A window method ({@code @DynamoTrigger(window = ...)}) takes it as its
 * third parameter.
 *
 * <p>Each window is a shard's records whose approximate creation time falls in
 * {@code [windowStart, windowEnd)}. The method is called with the window's records as they are read, each
 * call getting the state the previous call returned ({@code null} on the window's first call). When the
 * window closes it is called once more, with no records and {@code finalInvokeForWindow} {@code true}: the
 * state it gets then is the window's final result. That final call is made at least once: after a crash
 * between it and the saving of the closed window, the next owner of the shard makes it again, with the same
 * state.
 *
 * @param triggerId the trigger's id
 * @param table the table whose stream the records came from
 * @param shardId the shard the records were read from; windows are kept per shard
 * @param windowStart the window's start, inclusive, aligned to a multiple of the window length since the
 * epoch
 * @param windowEnd the window's end, exclusive
 * @param finalInvokeForWindow {@code true} for the call made when the window closes, with no records
 * @param attempt the number of this call, 1 for the first; higher when the trigger failed and its error
 * policy calls it again
 */
public record WindowContext(String triggerId, String table, String shardId, Instant windowStart, Instant windowEnd,
		boolean finalInvokeForWindow, int attempt) {

}
