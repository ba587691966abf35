package io.dynamotrigger.backfill;

import java.time.Duration;
import java.util.Map;

/**
 * How backfills run.
 *
 * @param segments how many segments a table's scan is split into, each scanned by a thread of its own
 * @param pageSize the most items one scan request reads
 * @param itemsPerSecond the most items all segments of one backfill read per second, so that the scan leaves
 * the table's read capacity to the application; 0 for no limit
 * @param seamMargin how much earlier than the scan's start a stream record must have been written to count
 * as covered by the scan: the stream's creation times are rounded down to the second and come from
 * DynamoDB's clock, not this instance's
 * @param lockDuration how long the instance that scans holds the scan's lock without renewing it (it renews it
 * every third of this); another instance takes the scan over after this
 * @param streamRetention how long the stream keeps its records (DynamoDB Streams: 24 hours): a backfill that
 * began longer ago than this has not finished in time, fails, and holds the trigger's stream records
 * @param triggers whether a trigger asks for a backfill, by trigger id, as its property says (replacing its
 * annotation's {@code backfill})
 */
public record BackfillSettings(int segments, int pageSize, int itemsPerSecond, Duration seamMargin,
		Duration lockDuration, Duration streamRetention, Map<String, Boolean> triggers) {

	/** The defaults, with no trigger asking for a backfill by property. */
	public static final BackfillSettings DEFAULTS = new BackfillSettings(4, 100, 500, Duration.ofSeconds(2),
			Duration.ofSeconds(30), Duration.ofHours(24), Map.of());

	/**
	 * Tells whether a trigger asks for a backfill: its property, or else its annotation.
	 * @param triggerId the trigger's id
	 * @param annotation what the trigger's annotation says
	 * @return whether the trigger gets a backfill
	 */
	public boolean requested(String triggerId, boolean annotation) {
		return this.triggers.getOrDefault(triggerId, annotation);
	}

	/**
	 * Creates the settings; the triggers are copied.
	 */
	public BackfillSettings {
		triggers = Map.copyOf(triggers);
	}

}
