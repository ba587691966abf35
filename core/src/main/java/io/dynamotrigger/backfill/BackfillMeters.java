package io.dynamotrigger.backfill;

/**
 * The counters of one trigger's backfill.
 */
public interface BackfillMeters {

	/** Meters that record nothing. */
	BackfillMeters NONE = new BackfillMeters() {

		@Override
		public void scanned(int items) {
		}

		@Override
		public void covered() {
		}

	};

	/**
	 * Counts items the scan read and delivered.
	 * @param items how many
	 */
	void scanned(int items);

	/**
	 * Counts a stream record passed over because the scan covers it.
	 */
	void covered();

}
