package io.dynamotrigger.lambda;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import io.dynamotrigger.config.TriggerEndpoint;
import io.dynamotrigger.config.TriggerEndpointRegistrar;
import io.dynamotrigger.error.DeadLetterRecord;
import io.dynamotrigger.error.ErrorPolicy;
import io.dynamotrigger.idempotency.Idempotency;
import io.dynamotrigger.listener.ActiveTrigger;
import io.dynamotrigger.listener.RecordPipeline;
import io.dynamotrigger.listener.StopSignal;
import io.dynamotrigger.listener.TriggerRegistry;
import io.dynamotrigger.metrics.TriggerMetrics;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.backoff.FixedBackOff;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * The triggers of an application whose stream records something else reads and hands in, such as an AWS
 * Lambda event source mapping: no stream consumer, no lease table, no checkpoints. It is the application's
 * {@link TriggerEndpointRegistrar} in place of the stream-reading {@link TriggerRegistry}.
 *
 * <p>{@link #route} passes the records of one read of one shard (a Lambda invocation's batch) through the
 * table consumer's {@link RecordPipeline} (the same filters, mapping, observation and meters): each record,
 * in order, to every per-record trigger that accepts it; then the records that every per-record trigger is
 * done with to every batch trigger, in one call with those it accepts.
 *
 * <p><b>Failures.</b> Each trigger is called once per record (per batch): its error policy allows one
 * call and the pipeline's dead-letter step hands the record back, because the caller retries (Lambda's {@code MaximumRetryAttempts}) and keeps what it gives
 * up on (its on-failure destination). At the first failure the routing of the read stops, and the result
 * names the failed record: everything before it is done for every trigger, it and everything after it is
 * not and must be delivered again, in order. With a failing batch trigger that is the read's first record,
 * as with the table consumer, where a read with batch triggers is done only as a whole.
 */
final class StreamEventRouter implements TriggerEndpointRegistrar, SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(StreamEventRouter.class);

	/** Lambda retries: each trigger is called once per record (per batch) and invocation. */
	private static final ErrorPolicy ONE_CALL = new ErrorPolicy(new FixedBackOff(0, 0), Set.of(), null);

	/** Records handed in carry no shard of ours. */
	private static final String NO_SHARD = "";

	private final Predicate<String> enabled;

	private final Set<String> configuredIds;

	private final TriggerMetrics metrics;

	private final ObservationRegistry observations;

	private final Map<String, TriggerEndpoint> endpoints = new LinkedHashMap<>();

	private final Map<String, Table> tables = new ConcurrentHashMap<>();

	private volatile boolean running;

	/**
	 * Creates the router.
	 * @param enabled tells whether the trigger of an id is enabled; a disabled trigger is never called
	 * @param configuredIds the trigger ids the configuration names; each must be a trigger's
	 * @param metrics records what the triggers do
	 * @param observations observes each trigger call, for tracing; {@link ObservationRegistry#NOOP} for none
	 */
	StreamEventRouter(Predicate<String> enabled, Set<String> configuredIds, TriggerMetrics metrics,
			ObservationRegistry observations) {
		this.enabled = enabled;
		this.configuredIds = Set.copyOf(configuredIds);
		this.metrics = metrics;
		this.observations = observations;
	}

	@Override
	public synchronized void register(TriggerEndpoint endpoint) {
		if (endpoint.isWindow()) {
			// The router gets one invocation's records, not a shard's windows; Lambda keeps those itself.
			throw new IllegalStateException("@DynamoTrigger method " + endpoint.methodName() + " sets window, which"
					+ " runs in a stream consumer, not in AWS Lambda; in Lambda set TumblingWindowInSeconds on the"
					+ " event source mapping and handle DynamodbTimeWindowEvent in a plain handler, or remove window.");
		}
		if (endpoint.backfill()) {
			throw new IllegalStateException("Trigger '" + endpoint.id() + "' asks for a backfill (backfill = \"true\"),"
					+ " which a Lambda function cannot run: it gets only the records its event source mapping hands in."
					+ " Remove backfill from the annotation (or set it with a placeholder), and backfill from an"
					+ " application that reads the stream.");
		}
		TriggerEndpoint.addUnique(this.endpoints, endpoint);
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
	RoutingResult route(String table, List<Record> records) {
		Table triggers = this.tables.computeIfAbsent(table, this::table);
		for (Record record : records) {
			triggers.checkViewType(record);
		}
		int failedAt = records.size();
		if (triggers.pipeline.hasRecordTriggers()) {
			for (int i = 0; i < records.size(); i++) {
				if (!triggers.pipeline.deliver(records.get(i), NO_SHARD)) {
					failedAt = i;
					break;
				}
			}
		}
		if (failedAt > 0) {
			List<Record> done = records.subList(0, failedAt);
			for (ActiveTrigger trigger : triggers.pipeline.batchTriggers()) {
				if (!deliverBatch(triggers.pipeline, trigger, done)) {
					failedAt = 0;
					break;
				}
			}
		}
		return (failedAt < records.size()) ? RoutingResult.failedAt(records.get(failedAt)) : RoutingResult.DONE;
	}

	private static boolean deliverBatch(RecordPipeline pipeline, ActiveTrigger trigger, List<Record> records) {
		List<Record> accepted = new ArrayList<>(records.size());
		for (Record record : records) {
			if (pipeline.accepts(trigger, record)) {
				accepted.add(record);
			}
		}
		return accepted.isEmpty() || pipeline.deliverBatch(trigger, accepted, NO_SHARD, false);
	}

	/**
	 * Hands a record a trigger failed on back to the caller: not done, so the read fails from there.
	 */
	private static boolean handBack(DeadLetterRecord failed) {
		log.warn("Trigger '{}' failed on record {} of table {}; the read fails from there and is delivered again: {}: {}",
				failed.source().triggerId(), failed.source().sequenceNumber(), failed.source().table(),
				failed.failure().exceptionClass(), failed.failure().exceptionMessage());
		return false;
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
		List<ActiveTrigger> triggers = enabledEndpoints.stream()
			.map((endpoint) -> new ActiveTrigger(endpoint, ONE_CALL, this.metrics.trigger(endpoint.id(), name)))
			.toList();
		return new Table(name, enabledEndpoints, new RecordPipeline(name, triggers, StreamEventRouter::handBack,
				new StopSignal(), Clock.systemUTC(), this.observations));
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
	 * @throws IllegalStateException if {@code dynamo-trigger.triggers.<id>} names no trigger, or a trigger is
	 * idempotent (there is no idempotency table here)
	 */
	@Override
	public synchronized void start() {
		TriggerEndpoint.checkConfigured(this.endpoints, this.configuredIds);
		Idempotency.NONE.prepare(
				this.endpoints.values().stream().filter((endpoint) -> this.enabled.test(endpoint.id())).toList(),
				(id) -> null);
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
	private record Table(String name, List<TriggerEndpoint> endpoints, RecordPipeline pipeline) {

		void checkViewType(Record record) {
			String written = (record.dynamodb() != null) ? record.dynamodb().streamViewTypeAsString() : null;
			if (written == null) {
				return;
			}
			for (TriggerEndpoint endpoint : this.endpoints) {
				endpoint.checkStreamViewType(this.name, written);
			}
		}

	}

	/**
	 * What became of a read that {@link #route} delivered.
	 *
	 * @param failedSequenceNumber the sequence number of the first record that is not done, or {@code null}
	 * when every record is done for every trigger
	 */
	record RoutingResult(String failedSequenceNumber) {

		/** Every record is done. */
		static final RoutingResult DONE = new RoutingResult(null);

		static RoutingResult failedAt(Record record) {
			return new RoutingResult(record.dynamodb().sequenceNumber());
		}

		/**
		 * Tells whether every record is done.
		 * @return {@code true} unless a trigger failed
		 */
		boolean isDone() {
			return this.failedSequenceNumber == null;
		}

	}

}
