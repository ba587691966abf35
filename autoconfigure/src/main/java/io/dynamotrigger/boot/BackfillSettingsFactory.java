package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.dynamotrigger.backfill.BackfillSettings;

/**
 * Builds the backfill settings the properties describe, failing on a value out of range with the property's
 * name.
 */
final class BackfillSettingsFactory {

	private BackfillSettingsFactory() {
	}

	static BackfillSettings of(DynamoTriggerProperties properties) {
		DynamoTriggerProperties.Backfill backfill = properties.backfill();
		check(backfill.segments() >= 1 && backfill.segments() <= 1000, "segments", backfill.segments(),
				"a number between 1 and 1000");
		check(backfill.pageSize() >= 1 && backfill.pageSize() <= 1000, "page-size", backfill.pageSize(),
				"a number between 1 and 1000");
		check(backfill.itemsPerSecond() >= 0, "items-per-second", backfill.itemsPerSecond(), "0 (no limit) or more");
		check(!backfill.seamMargin().isNegative(), "seam-margin", backfill.seamMargin(), "0 or more");
		check(backfill.lockDuration().compareTo(Duration.ofSeconds(1)) >= 0, "lock-duration",
				backfill.lockDuration(), "at least 1s");
		check(backfill.streamRetention().compareTo(Duration.ofSeconds(1)) >= 0, "stream-retention",
				backfill.streamRetention(), "at least 1s");
		Map<String, Boolean> triggers = new LinkedHashMap<>();
		properties.triggers().forEach((id, trigger) -> {
			if (trigger.backfill() != null) {
				triggers.put(id, trigger.backfill());
			}
		});
		return new BackfillSettings(backfill.segments(), backfill.pageSize(), backfill.itemsPerSecond(),
				backfill.seamMargin(), backfill.lockDuration(), backfill.streamRetention(), triggers);
	}

	private static void check(boolean valid, String property, Object value, String allowed) {
		if (!valid) {
			throw new IllegalStateException(
					"dynamo-trigger.backfill." + property + " is " + value + "; set it to " + allowed + ".");
		}
	}

}
