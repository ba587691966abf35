package io.dynamotrigger.idempotency;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.dynamotrigger.idempotency.IdempotencyMeters.Operation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * An idempotent trigger's meters in Micrometer: counter {@code dynamo.trigger.idempotency.skipped} (records not
 * handed to the trigger because it handled them already) and timer {@code dynamo.trigger.idempotency.store}
 * (requests to the idempotency table, tagged {@code operation} read, claim, complete or release, and
 * {@code result} success or error), both tagged {@code trigger}. A class of its own so that Micrometer stays
 * optional.
 */
public final class MicrometerIdempotencyMeters {

	private MicrometerIdempotencyMeters() {
	}

	/**
	 * Registers a trigger's meters in Micrometer, once.
	 * @param registry the registry
	 * @param triggerId the trigger
	 * @return its meters
	 */
	public static IdempotencyMeters of(MeterRegistry registry, String triggerId) {
		Counter skipped = Counter.builder("dynamo.trigger.idempotency.skipped")
			.description("Records not handed to an idempotent trigger because it handled them already")
			.tag("trigger", triggerId)
			.register(registry);
		Map<Operation, Timer> successes = new EnumMap<>(Operation.class);
		Map<Operation, Timer> errors = new EnumMap<>(Operation.class);
		for (Operation operation : Operation.values()) {
			successes.put(operation, storeTimer(registry, triggerId, operation, "success"));
			errors.put(operation, storeTimer(registry, triggerId, operation, "error"));
		}
		return new IdempotencyMeters() {

			@Override
			public void skipped() {
				skipped.increment();
			}

			@Override
			public void storeCall(Operation operation, long nanos, boolean success) {
				(success ? successes : errors).get(operation).record(nanos, TimeUnit.NANOSECONDS);
			}

		};
	}

	private static Timer storeTimer(MeterRegistry registry, String triggerId, Operation operation, String result) {
		return Timer.builder("dynamo.trigger.idempotency.store")
			.description("Requests of an idempotent trigger to the idempotency table")
			.tags("trigger", triggerId, "operation", operation.tag, "result", result)
			.register(registry);
	}

}
