package io.dynamotrigger.backfill;

import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Backfill meters in Micrometer, tagged {@code trigger} and {@code table}: counters
 * {@code dynamo.trigger.backfill.items} (items this instance scanned and delivered) and
 * {@code dynamo.trigger.backfill.covered} (stream records passed over because the scan covers them), gauges
 * {@code dynamo.trigger.backfill.segments} and {@code dynamo.trigger.backfill.segments.done} (segments scanned
 * to their end by any instance) of the trigger's current backfill.
 */
public final class MicrometerBackfillMetrics implements BackfillMetrics {

	private final MeterRegistry registry;

	/**
	 * Creates the metrics.
	 * @param registry where the meters go
	 */
	public MicrometerBackfillMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public BackfillMeters meters(String triggerId, String table, Supplier<BackfillProgress> progress) {
		gauge("dynamo.trigger.backfill.segments", "Segments of a trigger's backfill scan", triggerId, table, progress,
				BackfillProgress::segments);
		gauge("dynamo.trigger.backfill.segments.done",
				"Segments of a trigger's backfill scan scanned to their end, by any instance", triggerId, table,
				progress, BackfillProgress::segmentsDone);
		Counter items = Counter.builder("dynamo.trigger.backfill.items")
			.description("Items a backfill's scan read and delivered")
			.tag("trigger", triggerId)
			.tag("table", table)
			.register(this.registry);
		Counter covered = Counter.builder("dynamo.trigger.backfill.covered")
			.description("Stream records passed over because a backfill's scan covers them")
			.tag("trigger", triggerId)
			.tag("table", table)
			.register(this.registry);
		return new BackfillMeters() {

			@Override
			public void scanned(int count) {
				items.increment(count);
			}

			@Override
			public void covered() {
				covered.increment();
			}

		};
	}

	private void gauge(String name, String description, String triggerId, String table,
			Supplier<BackfillProgress> progress, ToIntFunction<BackfillProgress> value) {
		Gauge.builder(name, progress, (current) -> {
			BackfillProgress now = current.get();
			return (now != null) ? value.applyAsInt(now) : Double.NaN;
		}).description(description).tag("trigger", triggerId).tag("table", table).strongReference(true)
			.register(this.registry);
	}

}
