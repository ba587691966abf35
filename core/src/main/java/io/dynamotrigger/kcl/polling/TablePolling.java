package io.dynamotrigger.kcl.polling;

import io.dynamotrigger.config.PollingSettings;

/**
 * How the shards of one table's stream are polled, and the table their reads are counted for.
 *
 * @param table the table
 * @param settings how each of its shards is polled
 */
public record TablePolling(String table, PollingSettings settings) {
}
