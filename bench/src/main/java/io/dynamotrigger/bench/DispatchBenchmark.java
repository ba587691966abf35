package io.dynamotrigger.bench;

import java.lang.reflect.Method;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.ViewType;
import io.dynamotrigger.config.TriggerEndpoint;
import io.dynamotrigger.error.ErrorPolicy;
import io.dynamotrigger.listener.ActiveTrigger;
import io.dynamotrigger.listener.HandlerInvoker;
import io.dynamotrigger.listener.RecordPipeline;
import io.dynamotrigger.listener.StopSignal;
import io.dynamotrigger.metrics.TriggerMetrics;
import io.micrometer.observation.ObservationRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.springframework.util.backoff.FixedBackOff;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/**
 * Dispatch without I/O: prepared stream records through the table's record pipeline (filters, mapping, invoking)
 * on one thread, for an item parameter, an {@code ItemChange<T>}, a batch of 100 and a record every trigger
 * filters out. Results in records per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DispatchBenchmark {

	private static final int BATCH = 100;

	private List<Record> records;

	private RecordPipeline itemDispatcher;

	private RecordPipeline changeDispatcher;

	private RecordPipeline batchDispatcher;

	private RecordPipeline filteringDispatcher;

	private int next;

	/**
	 * Runs the benchmark.
	 * @param args none
	 * @throws Exception if JMH fails
	 */
	public static void main(String[] args) throws Exception {
		new Runner(new OptionsBuilder().include(DispatchBenchmark.class.getSimpleName()).build()).run();
	}

	@Setup
	public void prepare(Blackhole blackhole) throws NoSuchMethodException {
		this.records = IntStream.range(0, 1024).mapToObj(DispatchBenchmark::record).toList();
		Sink sink = new Sink(blackhole);
		this.itemDispatcher = dispatcher(sink, "onItem", BenchItem.class, EnumSet.allOf(EventType.class));
		this.changeDispatcher = dispatcher(sink, "onChange", ItemChange.class, EnumSet.allOf(EventType.class));
		this.batchDispatcher = dispatcher(sink, "onBatch", List.class, EnumSet.allOf(EventType.class));
		this.filteringDispatcher = dispatcher(sink, "onChange", ItemChange.class, EnumSet.of(EventType.REMOVE));
	}

	@Benchmark
	public boolean item() {
		return this.itemDispatcher.deliver(nextRecord(), "shard-1");
	}

	@Benchmark
	public boolean itemChange() {
		return this.changeDispatcher.deliver(nextRecord(), "shard-1");
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public boolean batchOf100() {
		int from = (this.next = (this.next + BATCH) % (this.records.size() - BATCH));
		return this.batchDispatcher.deliverBatch(this.batchDispatcher.batchTriggers().get(0),
				this.records.subList(from, from + BATCH), "shard-1", false);
	}

	@Benchmark
	public boolean filteredOut() {
		return this.filteringDispatcher.deliver(nextRecord(), "shard-1");
	}

	private Record nextRecord() {
		this.next = (this.next + 1) & 1023;
		return this.records.get(this.next);
	}

	private static RecordPipeline dispatcher(Sink sink, String methodName, Class<?> parameter, Set<EventType> events)
			throws NoSuchMethodException {
		Method method = Sink.class.getDeclaredMethod(methodName, parameter);
		TriggerEndpoint endpoint = new TriggerEndpoint(methodName, "Items", ViewType.NEW_AND_OLD_IMAGES, events,
				HandlerInvoker.prepare(sink, method, ViewType.NEW_AND_OLD_IMAGES, events));
		ActiveTrigger trigger = new ActiveTrigger(endpoint,
				new ErrorPolicy(new FixedBackOff(0, 0), Set.of(), null), TriggerMetrics.NONE.trigger(methodName, "Items"));
		return new RecordPipeline("Items", List.of(trigger), (deadLetter) -> {
			throw new IllegalStateException("no dead letters in this benchmark");
		}, new StopSignal(), Clock.systemUTC(), ObservationRegistry.NOOP);
	}

	private static Record record(int i) {
		Map<String, AttributeValue> image = new LinkedHashMap<>();
		image.put("id", AttributeValue.fromS("item-" + i));
		image.put("seq", AttributeValue.fromN(Integer.toString(i)));
		image.put("rating", AttributeValue.fromN(Integer.toString(1 + i % 5)));
		image.put("payload", AttributeValue.fromS("x".repeat(100)));
		return Record.builder()
			.eventID("e" + i)
			.eventName(OperationType.MODIFY)
			.dynamodb(StreamRecord.builder()
				.keys(Map.of("id", image.get("id")))
				.oldImage(image)
				.newImage(image)
				.sequenceNumber(Integer.toString(100 + i))
				.sizeBytes(200L)
				.build())
			.build();
	}

	/**
	 * The trigger methods; each hands what it got to the black hole so the work is not optimised away.
	 */
	public static final class Sink {

		private final Blackhole blackhole;

		Sink(Blackhole blackhole) {
			this.blackhole = blackhole;
		}

		void onItem(BenchItem item) {
			this.blackhole.consume(item);
		}

		void onChange(ItemChange<BenchItem> change) {
			this.blackhole.consume(change.newImage());
		}

		void onBatch(List<ItemChange<BenchItem>> changes) {
			this.blackhole.consume(changes.get(changes.size() - 1).newImage());
		}

	}

}
