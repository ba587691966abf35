/**
 * Internal: backfills, which give a trigger every item its table holds before the stream's changes. A
 * {@link io.dynamotrigger.backfill.Backfill} holds the trigger's stream records, notes when its scan begins,
 * scans the table in parallel segments at a limited rate under a lock that one instance holds, keeps each
 * segment's progress in a small state table so that a restart resumes, and then lets the stream go on, passing
 * over (and counting) the stream records its scan covers.
 *
 * <p>Not API: its types are public only for the framework's own packages (the registry and the
 * auto-configuration) and may change without notice.
 */
package io.dynamotrigger.backfill;
