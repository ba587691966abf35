package io.dynamotrigger.boot;

import java.util.Map;
import java.util.function.Supplier;

import io.dynamotrigger.backfill.BackfillProgress;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the triggers' backfills: DOWN while a backfill has failed (its scan began longer ago than the
 * stream keeps its records, so the trigger's stream records are held rather than leave a gap), with the
 * reason; UP otherwise. Details list each backfill's phase, segments done, items scanned and stream records
 * covered.
 */
final class DynamoTriggerBackfillHealthIndicator extends AbstractHealthIndicator {

	private final Supplier<Map<String, BackfillProgress>> backfills;

	/**
	 * Creates the indicator.
	 * @param backfills the backfills' progress by trigger id, as {@code TriggerRegistry.backfillProgress()}
	 * returns it
	 */
	DynamoTriggerBackfillHealthIndicator(Supplier<Map<String, BackfillProgress>> backfills) {
		super("Backfill health check failed");
		this.backfills = backfills;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean down = false;
		for (Map.Entry<String, BackfillProgress> backfill : this.backfills.get().entrySet()) {
			builder.withDetail(backfill.getKey(), backfill.getValue());
			down |= backfill.getValue().phase() == BackfillProgress.Phase.FAILED;
		}
		if (down) {
			builder.down();
		}
		else {
			builder.up();
		}
	}

}
