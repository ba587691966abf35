package io.dynamotrigger.listener;

import java.lang.reflect.UndeclaredThrowableException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.dynamotrigger.error.DeadLetterHandler;
import io.dynamotrigger.error.TriggerRedelivery;
import io.dynamotrigger.error.UnknownTriggerException;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Holds the application's triggers and runs one stream consumer per table for them: all triggers of a
 * table share one consumer, which passes each record to each trigger that accepts it.
 *
 * <p>Starts late in the application's lifecycle (after the beans the triggers use) and stops early.
 * On start, every table is checked first; a missing table, a table without a stream or a stream of
 * another view type fails the start with a message naming the table and what to change.
 */
public class TriggerRegistry implements SmartLifecycle, TriggerRedelivery {

	/** The lifecycle phase: late start, early stop, like message listener containers. */
	public static final int PHASE = Integer.MAX_VALUE - 100;

	private static final BackOff DEAD_LETTER_BACK_OFF = deadLetterBackOff();

	private final AwsClients clients;

	private final ConsumerSettings settings;

	private final DeadLetterHandler deadLetters;

	private final Map<String, TriggerEndpoint> endpoints = new LinkedHashMap<>();

	private final List<TableConsumer> consumers = new ArrayList<>();

	private final ShardReadCounters readCounters = new ShardReadCounters();

	/**
	 * Creates the registry.
	 * @param clients the AWS clients the consumers use
	 * @param settings how the consumers run
	 * @param deadLetters where records go that a trigger gives up on
	 */
	public TriggerRegistry(AwsClients clients, ConsumerSettings settings, DeadLetterHandler deadLetters) {
		this.clients = clients;
		this.settings = settings;
		this.deadLetters = deadLetters;
	}

	synchronized void register(TriggerEndpoint endpoint) {
		TriggerEndpoint previous = this.endpoints.putIfAbsent(endpoint.id(), endpoint);
		if (previous != null) {
			throw new IllegalStateException("@DynamoTrigger methods " + previous.invoker().methodName() + " and "
					+ endpoint.invoker().methodName() + " have the same id '" + endpoint.id()
					+ "'; give each a unique id.");
		}
	}

	/**
	 * Returns the ids of the registered triggers, in registration order.
	 * @return the trigger ids
	 */
	public synchronized List<String> triggerIds() {
		return List.copyOf(this.endpoints.keySet());
	}

	/**
	 * Returns the GetRecords counts of the shards the consumers read now.
	 * @return live polling statistics, empty while no shard is being read
	 */
	public PollingStats pollingStats() {
		return this.readCounters;
	}

	@Override
	public void redeliver(String triggerId, Record record) throws Exception {
		TriggerEndpoint endpoint;
		synchronized (this) {
			endpoint = this.endpoints.get(triggerId);
		}
		if (endpoint == null) {
			throw new UnknownTriggerException(triggerId, triggerIds());
		}
		try {
			endpoint.handle(record);
		}
		catch (Exception | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new UndeclaredThrowableException(ex);
		}
	}

	@Override
	public synchronized void start() {
		if (!this.consumers.isEmpty()) {
			return;
		}
		for (String id : this.settings.triggerErrorPolicies().keySet()) {
			if (!this.endpoints.containsKey(id)) {
				throw new IllegalStateException("dynamo-trigger.triggers." + id + " configures a trigger that does not"
						+ " exist; the triggers are " + triggerIds() + ".");
			}
		}
		Map<String, List<TriggerEndpoint>> byTable = this.endpoints.values()
			.stream()
			.collect(Collectors.groupingBy(TriggerEndpoint::table, LinkedHashMap::new, Collectors.toList()));
		TableStreamValidator validator = new TableStreamValidator(this.clients.dynamoDb());
		Map<String, String> streams = new LinkedHashMap<>();
		byTable.forEach((table, tableEndpoints) -> streams.put(table, validator.validate(table, tableEndpoints)));

		if (!byTable.isEmpty()) {
			this.deadLetters.prepare();
		}
		KclSchedulerFactory schedulers = new KclSchedulerFactory(this.clients, this.settings, this.readCounters);
		LeaseTablePreparation preparation = new LeaseTablePreparation(
				new StreamCheckpointGuard(this.clients.dynamoDbAsync()));
		byTable.forEach((table, tableEndpoints) -> {
			RecordDispatcher dispatcher = new RecordDispatcher(table, tableEndpoints, this.settings::errorPolicyFor,
					this.deadLetters, DEAD_LETTER_BACK_OFF, Clock.systemUTC());
			TableConsumer consumer = new TableConsumer(table, tableEndpoints, this.settings.leaseTableFor(table),
					streams.get(table), schedulers, dispatcher, preparation, this.settings.shutdownTimeout());
			this.consumers.add(consumer);
			consumer.start();
		});
	}

	private static BackOff deadLetterBackOff() {
		ExponentialBackOff backOff = new ExponentialBackOff(1_000, 2.0);
		backOff.setMaxInterval(30_000);
		return backOff;
	}

	@Override
	public synchronized void stop() {
		this.consumers.forEach(TableConsumer::stop);
		this.consumers.clear();
	}

	@Override
	public synchronized boolean isRunning() {
		return !this.consumers.isEmpty();
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
