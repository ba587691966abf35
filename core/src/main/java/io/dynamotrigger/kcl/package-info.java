/**
 * Internal: the glue between the framework and the Kinesis Client Library, as the DynamoDB Streams Kinesis
 * Adapter runs it: building a table's scheduler, preparing its lease table, keeping a stream's checkpoints
 * off another stream, and detecting reads of trimmed records.
 *
 * <p>Not API: its types are public only for the framework's own packages (the auto-configuration installs
 * {@link io.dynamotrigger.kcl.TrimmedRecordsDetector} on the streams client) and may change without notice.
 */
package io.dynamotrigger.kcl;
