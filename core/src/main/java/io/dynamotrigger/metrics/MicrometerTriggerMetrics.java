package io.dynamotrigger.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

import io.dynamotrigger.status.ShardStall;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * Trigger metrics in Micrometer:
 * <ul>
 * <li>{@code dynamo.trigger.handler} timer of handler calls, tags {@code trigger}, {@code table},
 * {@code result} ({@code success} or {@code failure}), {@code exception} (simple class name or
 * {@code none});</li>
 * <li>{@code dynamo.trigger.records} counter, tags {@code trigger}, {@code table}, {@code result} (handled,
 * filtered, retried, dead_lettered, expired);</li>
 * <li>{@code dynamo.trigger.lag} gauge, milliseconds behind the newest record, tags {@code table},
 * {@code shard}, present while this instance holds the shard's lease;</li>
 * <li>{@code dynamo.trigger.leases} gauge of the shard leases this instance holds, tag {@code table};</li>
 * <li>{@code dynamo.trigger.getrecords} counter of GetRecords calls, tags {@code table}, {@code result}
 * (records, empty, throttled, failed): the cost of polling; empty / all is the empty-read ratio;</li>
 * <li>{@code dynamo.trigger.trimmed} counter of reads that found records trimmed before they were read
 * (lost), tag {@code table};</li>
 * <li>{@code dynamo.trigger.stalled} gauge of the shards this instance holds that are stalled, tags
 * {@code table}, {@code kind} ({@code record}, {@code reads}, {@code checkpoint}; see {@link ShardStall}), 0
 * when none is;</li>
 * <li>{@code dynamo.trigger.held} gauge of the records the shards of this instance hold for a paused trigger,
 * tags {@code trigger}, {@code table};</li>
 * <li>{@code dynamo.trigger.held.waiting} gauge of the shards that read no more until a paused trigger is
 * resumed (their held span is full), tags {@code trigger}, {@code table}.</li>
 * </ul>
 * Dead letters are {@code dynamo.trigger.records} with result {@code dead_lettered} or {@code expired}.
 */
public final class MicrometerTriggerMetrics implements TriggerMetrics {

	private final MeterRegistry registry;

	private final Map<String, AtomicInteger> leases = new ConcurrentHashMap<>();

	private final Map<String, Counter> reads = new ConcurrentHashMap<>();

	private final Map<String, AtomicReference<ToIntFunction<ShardStall.Kind>>> stalledShards = new ConcurrentHashMap<>();

	private final Map<String, AtomicReference<HeldSuppliers>> held = new ConcurrentHashMap<>();

	/**
	 * Creates the metrics.
	 * @param registry where meters are registered
	 */
	public MicrometerTriggerMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public TriggerMeters trigger(String triggerId, String table) {
		return new MicrometerTriggerMeters(this.registry, Tags.of("trigger", triggerId, "table", table));
	}

	@Override
	public ShardMeters shard(String table, String shardId) {
		AtomicInteger owned = this.leases.computeIfAbsent(table, (name) -> {
			AtomicInteger count = new AtomicInteger();
			Gauge.builder("dynamo.trigger.leases", count, AtomicInteger::get)
				.description("Shard leases of the table this instance holds")
				.tag("table", name)
				.register(this.registry);
			return count;
		});
		owned.incrementAndGet();
		AtomicLong lag = new AtomicLong();
		Gauge gauge = Gauge.builder("dynamo.trigger.lag", lag, AtomicLong::get)
			.description("Milliseconds the shard's consumer is behind the newest record")
			.baseUnit("milliseconds")
			.tags("table", table, "shard", shardId)
			.register(this.registry);
		return new ShardMeters() {

			@Override
			public void lag(long millis) {
				lag.set(millis);
			}

			@Override
			public void close() {
				MicrometerTriggerMetrics.this.registry.remove(gauge);
				owned.decrementAndGet();
			}

		};
	}

	@Override
	public void stalledShards(String table, ToIntFunction<ShardStall.Kind> stalledShards) {
		this.stalledShards.computeIfAbsent(table, (name) -> {
			AtomicReference<ToIntFunction<ShardStall.Kind>> count = new AtomicReference<>(stalledShards);
			for (ShardStall.Kind kind : ShardStall.Kind.values()) {
				Gauge.builder("dynamo.trigger.stalled", count, (current) -> current.get().applyAsInt(kind))
					.description("Shards of the table this instance holds that are stalled, by what stopped")
					.tags("table", name, "kind", kind.name().toLowerCase())
					.register(this.registry);
			}
			return count;
		}).set(stalledShards);
	}

	@Override
	public void held(String triggerId, String table, LongSupplier heldRecords, IntSupplier waitingShards) {
		HeldSuppliers suppliers = new HeldSuppliers(heldRecords, waitingShards);
		this.held.computeIfAbsent(triggerId, (id) -> {
			AtomicReference<HeldSuppliers> current = new AtomicReference<>(suppliers);
			Gauge.builder("dynamo.trigger.held", current, (ref) -> ref.get().records().getAsLong())
				.description("Records the shards of this instance hold for the trigger while it is paused")
				.tags("trigger", id, "table", table)
				.register(this.registry);
			Gauge.builder("dynamo.trigger.held.waiting", current, (ref) -> ref.get().waitingShards().getAsInt())
				.description("Shards that read no more until the paused trigger is resumed")
				.tags("trigger", id, "table", table)
				.register(this.registry);
			return current;
		}).set(suppliers);
	}

	@Override
	public void read(String table, ReadResult result) {
		this.reads.computeIfAbsent(table + "/" + result, (key) -> Counter.builder("dynamo.trigger.getrecords")
			.description("GetRecords calls of the table's shard readers, by what they returned")
			.tags("table", table, "result", result.name().toLowerCase())
			.register(this.registry)).increment();
	}

	@Override
	public void trimmed(String table) {
		Counter.builder("dynamo.trigger.trimmed")
			.description("Reads that found records of the table trimmed from the stream before they were read")
			.tag("table", table)
			.register(this.registry)
			.increment();
	}

	private static final class MicrometerTriggerMeters implements TriggerMeters {

		private final MeterRegistry registry;

		private final Tags tags;

		private final Timer success;

		private final Map<RecordResult, Counter> records = new EnumMap<>(RecordResult.class);

		MicrometerTriggerMeters(MeterRegistry registry, Tags tags) {
			this.registry = registry;
			this.tags = tags;
			this.success = timer("success", "none");
			for (RecordResult result : RecordResult.values()) {
				this.records.put(result,
						Counter.builder("dynamo.trigger.records")
							.description("Records of the trigger's table, by what became of them")
							.tags(tags)
							.tag("result", result.name().toLowerCase())
							.register(registry));
			}
		}

		private Timer timer(String result, String exception) {
			return Timer.builder("dynamo.trigger.handler")
				.description("Calls of the trigger's method")
				.tags(this.tags)
				.tag("result", result)
				.tag("exception", exception)
				.register(this.registry);
		}

		@Override
		public void handlerCall(long nanos, Throwable failure) {
			Timer timer = (failure == null) ? this.success : timer("failure", failure.getClass().getSimpleName());
			timer.record(nanos, TimeUnit.NANOSECONDS);
		}

		@Override
		public void record(RecordResult result) {
			this.records.get(result).increment();
		}

	}

	private record HeldSuppliers(LongSupplier records, IntSupplier waitingShards) {
	}

}
