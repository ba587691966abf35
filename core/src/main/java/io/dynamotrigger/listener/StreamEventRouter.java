package io.dynamotrigger.listener;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import io.dynamotrigger.TriggerContext;
import io.dynamotrigger.config.TriggerEndpoint;
import io.dynamotrigger.metrics.RecordResult;
import io.dynamotrigger.metrics.TriggerMeters;
import io.dynamotrigger.metrics.TriggerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * The triggers of an application whose stream records something else reads and hands in, such as an AWS
 * Lambda event source mapping: no stream consumer, no lease table, no checkpoints. When a bean of this type
 * exists, {@code @DynamoTrigger} methods are registered here instead of in the {@link TriggerRegistry}.
 *
 * <p>{@link #route} passes the records of one read of one shard (a Lambda invocation's batch) through the
 * same filters, mapping and methods as the table consumer does: each record, in order, to every per-record
 * trigger that accepts it; then the records that every per-record trigger is done with to every batch
 * trigger, in one call with those it accepts.
 *
 * <p><b>Failures.</b> Each trigger is called once per record (per batch): no error policy, no back-off, no
 * dead letters, because the caller retries (Lambda's {@code MaximumRetryAttempts}) and keeps what it gives
 * up on (its on-failure destination). At the first failure the routing of the read stops, and the result
 * names the failed record: everything before it is done for every trigger, it and everything after it is
 * not and must be delivered again, in order. With a failing batch trigger that is the read's first record,
 * as with the table consumer, where a read with batch triggers is done only as a whole.
 */
public final class StreamEventRouter implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(StreamEventRouter.class);

	private final Predicate<String> enabled;

	private final Set<String> configuredIds;

	private final TriggerMetrics metrics;

	private final Map<String, TriggerEndpoint> endpoints = new LinkedHashMap<>();

	private final Map<String, Table> tables = new ConcurrentHashMap<>();

	private volatile boolean running;

	/**
	 * Creates the router.
	 * @param enabled tells whether the trigger of an id is enabled; a disabled trigger is never called
	 * @param configuredIds the trigger ids the configuration names; each must be a trigger's
	 * @param metrics records what the triggers do
	 */
	public StreamEventRouter(Predicate<String> enabled, Set<String> configuredIds, TriggerMetrics metrics) {
		this.enabled = enabled;
		this.configuredIds = Set.copyOf(configuredIds);
		this.metrics = metrics;
	}

	/**
	 * Registers a trigger.
	 * @param endpoint the trigger
	 * @throws IllegalStateException if a trigger with the same id is registered
	 */
	public synchronized void register(TriggerEndpoint endpoint) {
		TriggerEndpoint.addUnique(this.endpoints, endpoint);
	}

	/**
	 * Returns the ids of the registered triggers, in registration order.
	 * @return the trigger ids
	 */
	public synchronized List<String> triggerIds() {
		return List.copyOf(this.endpoints.keySet());
	}

	/**
	 * Delivers the records of one read of one shard of a table's stream to the table's triggers, each
	 * record once, and stops at the first failure.
	 * @param table the table the records are changes of
	 * @param records the records, in stream order
	 * @return what became of the read
	 * @throws IllegalStateException if the table has no enabled trigger, or a record was written with a
	 * stream view type that a trigger of the table does not declare: a mistake in the deployment, not in a
	 * record, so the whole read fails
	 */
	public RoutingResult route(String table, List<Record> records) {
		Table triggers = this.tables.computeIfAbsent(table, this::table);
		for (Record record : records) {
			triggers.checkViewType(record);
		}
		int failedAt = records.size();
		outer: for (int i = 0; i < records.size(); i++) {
			List<Record> single = List.of(records.get(i));
			for (TriggerEndpoint endpoint : triggers.recordTriggers) {
				if (!deliver(triggers, endpoint, single)) {
					failedAt = i;
					break outer;
				}
			}
		}
		if (!triggers.batchTriggers.isEmpty() && failedAt > 0) {
			List<Record> done = records.subList(0, failedAt);
			for (TriggerEndpoint endpoint : triggers.batchTriggers) {
				if (!deliver(triggers, endpoint, done)) {
					failedAt = 0;
					break;
				}
			}
		}
		return (failedAt < records.size()) ? RoutingResult.failedAt(records.get(failedAt)) : RoutingResult.DONE;
	}

	private boolean deliver(Table table, TriggerEndpoint endpoint, List<Record> records) {
		TriggerMeters meters = table.meters.get(endpoint.id());
		long start = System.nanoTime();
		try {
			List<Record> accepted = new ArrayList<>(records.size());
			for (Record record : records) {
				if (endpoint.accepts(record)) {
					accepted.add(record);
				}
			}
			for (int i = accepted.size(); i < records.size(); i++) {
				meters.record(RecordResult.FILTERED);
			}
			if (accepted.isEmpty()) {
				return true;
			}
			Record last = accepted.get(accepted.size() - 1);
			start = System.nanoTime();
			endpoint.handle(accepted, new TriggerContext(endpoint.id(), table.name, "",
					last.dynamodb().sequenceNumber(), 1, last.dynamodb().approximateCreationDateTime()));
			meters.handlerCall(System.nanoTime() - start, null);
			for (int i = 0; i < accepted.size(); i++) {
				meters.record(RecordResult.HANDLED);
			}
			return true;
		}
		catch (VirtualMachineError error) {
			throw error;
		}
		catch (Throwable ex) {
			meters.handlerCall(System.nanoTime() - start, ex);
			log.warn("Trigger '{}' failed on record {} of table {}; the read fails from there and is delivered again",
					endpoint.id(), describe(records), table.name, ex);
			return false;
		}
	}

	private static String describe(List<Record> records) {
		String first = records.get(0).dynamodb().sequenceNumber();
		return (records.size() == 1) ? first
				: first + ".." + records.get(records.size() - 1).dynamodb().sequenceNumber() + " (batch of "
						+ records.size() + ")";
	}

	private synchronized Table table(String name) {
		List<TriggerEndpoint> enabledEndpoints = this.endpoints.values()
			.stream()
			.filter((endpoint) -> endpoint.table().equals(name) && this.enabled.test(endpoint.id()))
			.toList();
		if (enabledEndpoints.isEmpty()) {
			throw new IllegalStateException("Records of table '" + name + "' arrived, but no enabled @DynamoTrigger"
					+ " method is on that table; the triggers are on " + enabledTables()
					+ ". Point the event source mapping at one of them, or add a trigger for " + name + ".");
		}
		Map<String, TriggerMeters> meters = new LinkedHashMap<>();
		enabledEndpoints.forEach((endpoint) -> meters.put(endpoint.id(), this.metrics.trigger(endpoint.id(), name)));
		return new Table(name, enabledEndpoints.stream().filter((endpoint) -> !endpoint.isBatch()).toList(),
				enabledEndpoints.stream().filter(TriggerEndpoint::isBatch).toList(), meters);
	}

	private synchronized List<String> enabledTables() {
		return this.endpoints.values()
			.stream()
			.filter((endpoint) -> this.enabled.test(endpoint.id()))
			.map(TriggerEndpoint::table)
			.distinct()
			.toList();
	}

	/**
	 * Checks that the configuration names only existing triggers and logs one line per trigger.
	 * @throws IllegalStateException if {@code dynamo-trigger.triggers.<id>} names no trigger
	 */
	@Override
	public synchronized void start() {
		TriggerEndpoint.checkConfigured(this.endpoints, this.configuredIds);
		this.endpoints.values().forEach((endpoint) -> {
			if (this.enabled.test(endpoint.id())) {
				log.info("Trigger '{}' on table {}: view type {}, events {}, records handed in (no stream consumer)",
						endpoint.id(), endpoint.table(), endpoint.viewType(), endpoint.events());
			}
			else {
				log.info("Trigger '{}' is disabled (dynamo-trigger.triggers.{}.enabled=false)", endpoint.id(),
						endpoint.id());
			}
		});
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return TriggerRegistry.PHASE;
	}

	/**
	 * The enabled triggers of one table, split as the table consumer calls them.
	 */
	private record Table(String name, List<TriggerEndpoint> recordTriggers, List<TriggerEndpoint> batchTriggers,
			Map<String, TriggerMeters> meters) {

		void checkViewType(Record record) {
			String written = (record.dynamodb() != null) ? record.dynamodb().streamViewTypeAsString() : null;
			if (written == null) {
				return;
			}
			for (TriggerEndpoint endpoint : this.recordTriggers) {
				check(endpoint, written);
			}
			for (TriggerEndpoint endpoint : this.batchTriggers) {
				check(endpoint, written);
			}
		}

		private void check(TriggerEndpoint endpoint, String written) {
			if (!endpoint.viewType().streamViewType().toString().equals(written)) {
				throw new IllegalStateException("Table '" + this.name + "' has a stream of view type " + written
						+ " but @DynamoTrigger '" + endpoint.id() + "' declares viewType = " + endpoint.viewType().name()
						+ ". Set the trigger's viewType to " + written + ", or give the table a stream of view type "
						+ endpoint.viewType().name() + ".");
			}
		}

	}

	/**
	 * What became of a read that {@link #route} delivered.
	 *
	 * @param failedSequenceNumber the sequence number of the first record that is not done, or {@code null}
	 * when every record is done for every trigger
	 */
	public record RoutingResult(String failedSequenceNumber) {

		/** Every record is done. */
		public static final RoutingResult DONE = new RoutingResult(null);

		static RoutingResult failedAt(Record record) {
			return new RoutingResult(record.dynamodb().sequenceNumber());
		}

		/**
		 * Tells whether every record is done.
		 * @return {@code true} unless a trigger failed
		 */
		public boolean isDone() {
			return this.failedSequenceNumber == null;
		}

	}

}
