/**
 * Internal: how often each shard's reader calls GetRecords (fixed or adaptive pacing, backing off after failed
 * reads), the counts of those reads, and the shared KCL application's reader, which reads each shard on the
 * application's threads instead of a thread per shard.
 *
 * <p>Not API: its types are public only for the framework's own packages and may change without notice;
 * {@link io.dynamotrigger.kcl.polling.PollingStats} is the read-only view of the read counts that
 * {@link io.dynamotrigger.listener.TriggerRegistry#pollingStats()} returns.
 */
package io.dynamotrigger.kcl.polling;
