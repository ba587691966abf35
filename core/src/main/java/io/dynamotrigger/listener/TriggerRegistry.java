package io.dynamotrigger.listener;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Holds the application's triggers and runs one stream consumer per table for them: all triggers of a
 * table share one consumer, which passes each record to each trigger that accepts it.
 *
 * <p>Starts late in the application's lifecycle (after the beans the triggers use) and stops early.
 * On start, every table is checked first; a missing table, a table without a stream or a stream of
 * another view type fails the start with a message naming the table and what to change.
 */
public class TriggerRegistry implements SmartLifecycle {

	/** The lifecycle phase: late start, early stop, like message listener containers. */
	public static final int PHASE = Integer.MAX_VALUE - 100;

	private final AwsClients clients;

	private final ConsumerSettings settings;

	private final Map<String, TriggerEndpoint> endpoints = new LinkedHashMap<>();

	private final List<TableConsumer> consumers = new ArrayList<>();

	/**
	 * Creates the registry.
	 * @param clients the AWS clients the consumers use
	 * @param settings how the consumers run
	 */
	public TriggerRegistry(AwsClients clients, ConsumerSettings settings) {
		this.clients = clients;
		this.settings = settings;
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

	@Override
	public synchronized void start() {
		if (!this.consumers.isEmpty()) {
			return;
		}
		Map<String, List<TriggerEndpoint>> byTable = this.endpoints.values()
			.stream()
			.collect(Collectors.groupingBy(TriggerEndpoint::table, LinkedHashMap::new, Collectors.toList()));
		TableStreamValidator validator = new TableStreamValidator(this.clients.dynamoDb());
		Map<String, String> streams = new LinkedHashMap<>();
		byTable.forEach((table, tableEndpoints) -> streams.put(table, validator.validate(table, tableEndpoints)));

		KclSchedulerFactory schedulers = new KclSchedulerFactory(this.clients, this.settings);
		LeaseTablePreparation preparation = new LeaseTablePreparation(
				new StreamCheckpointGuard(this.clients.dynamoDbAsync()));
		byTable.forEach((table, tableEndpoints) -> {
			ExponentialBackOff retry = new ExponentialBackOff(200, 2.0);
			retry.setMaxInterval(5_000);
			RecordDispatcher dispatcher = new RecordDispatcher(table, tableEndpoints, retry);
			TableConsumer consumer = new TableConsumer(table, tableEndpoints, this.settings.leaseTableFor(table),
					streams.get(table), schedulers, dispatcher, preparation, this.settings.shutdownTimeout());
			this.consumers.add(consumer);
			consumer.start();
		});
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
