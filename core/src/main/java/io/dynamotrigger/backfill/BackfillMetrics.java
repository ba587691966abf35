package io.dynamotrigger.backfill;

import java.util.function.Supplier;

/**
 * Creates the meters of the triggers' backfills.
 */
@FunctionalInterface
public interface BackfillMetrics {

	/** No meters. */
	BackfillMetrics NONE = (triggerId, table, progress) -> BackfillMeters.NONE;

	/**
	 * Creates the meters of a trigger's backfills; called once per trigger.
	 * @param triggerId the trigger
	 * @param table its table
	 * @param progress the progress of the trigger's current backfill, or {@code null} while it has none
	 * @return the trigger's backfill meters
	 */
	BackfillMeters meters(String triggerId, String table, Supplier<BackfillProgress> progress);

}
