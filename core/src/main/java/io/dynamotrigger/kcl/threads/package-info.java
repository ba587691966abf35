/**
 * Internal: the threads of a KCL application that reads many shards — one timer that paces every shard's
 * reads, and one pool that runs KCL's shard tasks and the reads, sized by what is running, not by the number
 * of shards.
 *
 * <p>Not API: its types are public only for the framework's own packages and may change without notice.
 */
package io.dynamotrigger.kcl.threads;
