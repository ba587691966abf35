package io.dynamotrigger.listener;

import java.lang.reflect.UndeclaredThrowableException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.dynamotrigger.TriggerContext;
import io.dynamotrigger.backfill.BackfillMetrics;
import io.dynamotrigger.backfill.BackfillProgress;
import io.dynamotrigger.backfill.BackfillSettings;
import io.dynamotrigger.backfill.Backfills;
import io.dynamotrigger.backfill.StreamSeam;
import io.dynamotrigger.config.AwsClients;
import io.dynamotrigger.config.BatchSettings;
import io.dynamotrigger.config.ConsumerSettings;
import io.dynamotrigger.config.StartingPosition;
import io.dynamotrigger.config.TableConsumerSettings;
import io.dynamotrigger.config.TableStream;
import io.dynamotrigger.config.TableStreamValidator;
import io.dynamotrigger.config.TriggerEndpoint;
import io.dynamotrigger.config.TriggerEndpointRegistrar;
import io.dynamotrigger.config.TriggerSettings;
import io.dynamotrigger.error.DeadLetterHandler;
import io.dynamotrigger.error.DeadLetterRecord;
import io.dynamotrigger.error.TriggerRedelivery;
import io.dynamotrigger.error.UnknownTriggerException;
import io.dynamotrigger.idempotency.Idempotency;
import io.dynamotrigger.idempotency.IdempotentDelivery;
import io.dynamotrigger.kcl.KclSchedulerFactory;
import io.dynamotrigger.kcl.LeaseTablePreparation;
import io.dynamotrigger.kcl.OlderStreams;
import io.dynamotrigger.kcl.PerTableCheckpointCarryOver;
import io.dynamotrigger.kcl.StreamCheckpointGuard;
import io.dynamotrigger.kcl.polling.PollingStats;
import io.dynamotrigger.kcl.polling.ShardReadCounters;
import io.dynamotrigger.lease.LeaseTableScan;
import io.dynamotrigger.lease.ShardHandOff;
import io.dynamotrigger.lease.ShardHandOffWatch;
import io.dynamotrigger.lease.Takeover;
import io.dynamotrigger.lease.TakeoverWatch;
import io.dynamotrigger.metrics.TriggerMetrics;
import io.dynamotrigger.pause.TriggerPause;
import io.dynamotrigger.status.PauseStatus;
import io.dynamotrigger.status.ShardStatus;
import io.dynamotrigger.status.TriggerState;
import io.dynamotrigger.status.TriggerStatus;
import io.dynamotrigger.window.WindowStateTable;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Holds the application's triggers and runs one stream consumer per table for them: all triggers of a
 * table share one consumer, which passes each record to each trigger that accepts it.
 *
 * <p>Starts late in the application's lifecycle (after the beans the triggers use) and stops early.
 * On start, every table is checked first; a missing table, a table without a stream or a stream of
 * another view type fails the start with a message naming the table and what to change.
 *
 * <p>Each table has a KCL application of its own (lease table {@code <application>-<table>}), or, with
 * {@code ConsumerSettings#isShared()}, all tables share one (lease table {@code <application>}, one scheduler
 * in KCL's multi-stream mode).
 *
 * <p>At runtime a trigger can be paused and resumed on this instance: the other triggers of its table go
 * on, while its shards hold the records it accepts (and their checkpoints before the oldest of them) and
 * deliver them in order once it is resumed; a shard holds at most {@code pauseMaxHeldRecords} records past
 * the oldest before it waits. Stopping and starting act on the trigger's table consumer, so on all triggers
 * of the table: a table's own KCL application stops and
 * gives its leases back; a table in the shared application holds its shards, keeping their leases, until it
 * is started again.
 */
public class TriggerRegistry implements TriggerEndpointRegistrar, SmartLifecycle, TriggerRedelivery {

	/** The lifecycle phase: late start, early stop, like message listener containers. */
	public static final int PHASE = Integer.MAX_VALUE - 100;

	private static final Logger log = LoggerFactory.getLogger(TriggerRegistry.class);

	private final AwsClients clients;

	private final ConsumerSettings settings;

	private final DeadLetterHandler deadLetters;

	private final TriggerMetrics metrics;

	private final ObservationRegistry observations;

	private final Map<String, TriggerEndpoint> endpoints = new LinkedHashMap<>();

	private final Map<String, TableConsumer> consumers = new LinkedHashMap<>();

	private final Map<String, LeaseTableWatches> leaseTableWatches = new LinkedHashMap<>();

	private final Map<String, TableStream> streams = new LinkedHashMap<>();

	private boolean running;

	/** The KCL application of all tables, when they share one; {@code null} otherwise. */
	private SharedKclApplication shared;

	/** The scan of the shared application's lease table; {@code null} unless it runs. */
	private LeaseTableScan sharedLeaseTable;

	private final ShardReadCounters readCounters;

	private final KclSchedulerFactory schedulers;

	private final Backfills backfills;

	private Idempotency idempotency = Idempotency.NONE;

	/**
	 * Creates the registry.
	 * @param clients the AWS clients the consumers use
	 * @param settings how the consumers and triggers run
	 * @param deadLetters where records go that a trigger gives up on
	 * @param metrics records what the triggers do
	 * @param observations observes each trigger call, for tracing; {@link ObservationRegistry#NOOP} for none
	 */
	public TriggerRegistry(AwsClients clients, ConsumerSettings settings, DeadLetterHandler deadLetters,
			TriggerMetrics metrics, ObservationRegistry observations) {
		this(clients, settings, deadLetters, metrics, observations, new Backfills(clients,
				BackfillSettings.DEFAULTS, BackfillMetrics.NONE, Clock.systemUTC()));
	}

	/**
	 * Creates the registry.
	 * @param clients the AWS clients the consumers use
	 * @param settings how the consumers and triggers run
	 * @param deadLetters where records go that a trigger gives up on
	 * @param metrics records what the triggers do
	 * @param observations observes each trigger call, for tracing; {@link ObservationRegistry#NOOP} for none
	 * @param backfills runs the backfills of the triggers that ask for one
	 */
	public TriggerRegistry(AwsClients clients, ConsumerSettings settings, DeadLetterHandler deadLetters,
			TriggerMetrics metrics, ObservationRegistry observations, Backfills backfills) {
		this.backfills = backfills;
		this.clients = clients;
		this.settings = settings;
		this.deadLetters = deadLetters;
		this.metrics = metrics;
		this.observations = observations;
		this.readCounters = new ShardReadCounters(metrics);
		this.schedulers = new KclSchedulerFactory(clients, settings.fastFailover(), settings.leaderLockDuration(),
				this.readCounters);
	}

	/**
	 * Sets which triggers are idempotent and where their records are claimed; none by default.
	 * @param idempotency the triggers' idempotency
	 */
	public synchronized void setIdempotency(Idempotency idempotency) {
		this.idempotency = idempotency;
	}

	@Override
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
	 * Returns the GetRecords counts of the shards the consumers read now.
	 * @return live polling statistics, empty while no shard is being read
	 */
	public PollingStats pollingStats() {
		return this.readCounters;
	}

	@Override
	public void redeliver(DeadLetterRecord deadLetter) throws Exception {
		DeadLetterRecord.Source source = deadLetter.source();
		TriggerEndpoint endpoint = endpoint(source.triggerId());
		if (endpoint.isWindow()) {
			throw new UnsupportedOperationException("Trigger '" + endpoint.id() + "' is a window trigger: its dead"
					+ " letters cannot be redriven into a window that has closed; read them from the dead-letter"
					+ " destination and correct the window's result in the application.");
		}
		Record record = deadLetter.toStreamRecord();
		IdempotentDelivery idempotent = this.idempotency.delivery(endpoint);
		TriggerContext context = new TriggerContext(endpoint.id(), source.table(), source.shardId(),
				source.sequenceNumber(), deadLetter.failure().attempts() + 1, deadLetter.change().approximateCreationTime());
		if (idempotent == null) {
			invokeChecked(endpoint, record, context);
		}
		else if (!idempotent.callOnce(record, () -> invokeChecked(endpoint, record, context))) {
			log.info("Redrive of record {} to trigger '{}' skipped: the trigger handled it already",
					source.sequenceNumber(), endpoint.id());
		}
	}

	/**
	 * Calls a trigger with a redriven record; what it throws besides exceptions and errors is wrapped.
	 */
	private static void invokeChecked(TriggerEndpoint endpoint, Record record, TriggerContext context) throws Exception {
		try {
			endpoint.invoker().invoke(List.of(record), context);
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
		if (this.running) {
			return;
		}
		TriggerEndpoint.checkConfigured(this.endpoints, this.settings.triggers().keySet());
		this.settings.triggers().forEach((id, triggerSettings) -> checkBatching(this.endpoints.get(id), triggerSettings));
		Map<String, List<TriggerEndpoint>> byTable = enabledEndpointsByTable();
		if (!this.settings.isShared()) {
			checkLeaseTablesDiffer(byTable.keySet());
		}
		byTable.forEach(this::checkBackfillStartingPosition);
		TableStreamValidator validator = new TableStreamValidator(this.clients.dynamoDb());
		byTable.forEach((table, tableEndpoints) -> this.streams.put(table, validator.validate(table, tableEndpoints)));
		this.idempotency.prepare(byTable.values().stream().flatMap(List::stream).toList(),
				(id) -> this.settings.triggerSettings(id).errorPolicy());
		if (!byTable.isEmpty()) {
			this.deadLetters.prepare();
			if (this.settings.isShared()) {
				StreamCheckpointGuard guard = new StreamCheckpointGuard(this.clients.dynamoDbAsync(), this.clients.streams());
				this.shared = new SharedKclApplication(this.settings.applicationName(), this.settings.failoverTime(),
						this.schedulers, new PerTableCheckpointCarryOver(this.clients.dynamoDbAsync(), guard),
						new OlderStreams(guard, this.settings.applicationName()),
						this.settings.removedTablesLeaseDeletion(), this.settings.shutdownTimeout(),
						this.settings.maxReadThreads());
				this.sharedLeaseTable = new LeaseTableScan(this.clients.dynamoDbAsync(), this.settings.applicationName(),
						Clock.systemUTC());
			}
		}
		byTable.forEach((table, tableEndpoints) -> {
			TableConsumerSettings consumer = this.settings.tableConsumer(table);
			tableEndpoints.forEach((endpoint) -> log.info(
					"Trigger '{}' on table {}: view type {}, events {}, lease table {}, starting position {},"
							+ " concurrency {}, failover time {} ms{}",
					endpoint.id(), table, endpoint.viewType(), endpoint.events(), consumer.leaseTable(),
					consumer.startingPosition(), consumer.concurrency(), consumer.failoverTime().toMillis(),
					endpoint.isBatch() ? ", " + batching(endpoint)
							: endpoint.isWindow() ? ", tumbling windows of " + endpoint.window().length() : ""));
			boolean autoStartup = autoStartup(table, tableEndpoints);
			if (this.shared != null) {
				addSharedConsumer(table, tableEndpoints, autoStartup);
			}
			else if (autoStartup) {
				startConsumer(table, tableEndpoints);
			}
		});
		if (this.shared != null) {
			this.shared.start();
		}
		this.running = true;
	}

	/**
	 * Fails if a trigger that takes one record per call has batch settings; their values the configuration has
	 * checked.
	 */
	private static void checkBatching(TriggerEndpoint endpoint, TriggerSettings triggerSettings) {
		if (!endpoint.isBatch() && (triggerSettings.batchSize() != null || triggerSettings.batchWindow() != null)) {
			throw new IllegalStateException("dynamo-trigger.triggers." + endpoint.id()
					+ ((triggerSettings.batchSize() != null) ? ".batch-size" : ".batch-window")
					+ " is set, but the trigger's method " + endpoint.methodName()
					+ (endpoint.isWindow() ? " is a window method, called with each read's records of a window;"
							+ " remove the property."
							: " takes one record per call; remove the property, or make the method take a"
									+ " List<ItemChange<T>>."));
		}
	}

	/**
	 * Fails if two tables would share a lease table: their leases and checkpoints would mix, and each consumer
	 * would take the other's leases for those of an old stream.
	 */
	private void checkLeaseTablesDiffer(Collection<String> tables) {
		Map<String, String> tableByLeaseTable = new LinkedHashMap<>();
		for (String table : tables) {
			String leaseTable = this.settings.tableConsumer(table).leaseTable();
			String other = tableByLeaseTable.putIfAbsent(leaseTable, table);
			if (other != null) {
				throw new IllegalStateException("Tables " + other + " and " + table + " would share lease table "
						+ leaseTable + "; each table's consumer needs its own. Set dynamo-trigger.tables." + table
						+ ".lease-table (or that of " + other + ") to another name.");
			}
		}
	}

	/**
	 * Fails if a window trigger asks for a backfill, or a trigger with a backfill reads from LATEST: without a
	 * checkpoint, KCL could begin reading after the scan began and miss what was written between.
	 */
	private void checkBackfillStartingPosition(String table, List<TriggerEndpoint> tableEndpoints) {
		tableEndpoints.stream()
			.filter((endpoint) -> endpoint.isWindow() && backfillRequested(endpoint))
			.findFirst()
			.ifPresent((endpoint) -> {
				throw new IllegalStateException("Trigger '" + endpoint.id() + "' is a tumbling-window method and asks"
						+ " for a backfill; a window is made of stream records by their creation time, which a scanned"
						+ " item has not. Turn the backfill off (remove backfill from the annotation, or set"
						+ " dynamo-trigger.triggers." + endpoint.id() + ".backfill=false).");
			});
		if (this.settings.tableConsumer(table).startingPosition() != StartingPosition.LATEST) {
			return;
		}
		tableEndpoints.stream().filter(this::backfillRequested).findFirst().ifPresent((endpoint) -> {
			throw new IllegalStateException("Trigger '" + endpoint.id() + "' asks for a backfill, but table " + table
					+ " is read from starting position LATEST, which could begin after the scan began and leave a gap;"
					+ " set dynamo-trigger.tables." + table + ".starting-position=TRIM_HORIZON (the records the scan"
					+ " covers are passed over) or turn the backfill off (dynamo-trigger.triggers." + endpoint.id()
					+ ".backfill=false).");
		});
	}

	private boolean backfillRequested(TriggerEndpoint endpoint) {
		return this.backfills.settings().requested(endpoint.id(), endpoint.backfill());
	}

	/**
	 * Starts the backfill of each of the consumer's triggers that asks for one, before the consumer reads:
	 * the trigger's stream records wait from the start until the backfill is done.
	 */
	private void startBackfills(TableConsumer consumer) {
		for (ActiveTrigger trigger : consumer.triggers()) {
			if (backfillRequested(trigger.endpoint())) {
				trigger.seam(startBackfill(consumer, trigger, false));
			}
		}
	}

	private StreamSeam startBackfill(TableConsumer consumer, ActiveTrigger trigger, boolean again) {
		return this.backfills.start(trigger.id(), consumer.table(), trigger.endpoint().viewType(),
				consumer.leaseTable(), (changes) -> consumer.pipeline().deliverBackfill(trigger, changes), again);
	}

	private void stopBackfills(TableConsumer consumer) {
		consumer.triggers().forEach((trigger) -> this.backfills.stop(trigger.id()));
	}

	private Map<String, List<TriggerEndpoint>> enabledEndpointsByTable() {
		return this.endpoints.values()
			.stream()
			.filter((endpoint) -> {
				boolean enabled = this.settings.triggerSettings(endpoint.id()).enabled();
				if (!enabled) {
					log.info("Trigger '{}' is disabled (dynamo-trigger.triggers.{}.enabled=false)", endpoint.id(),
							endpoint.id());
				}
				return enabled;
			})
			.collect(Collectors.groupingBy(TriggerEndpoint::table, LinkedHashMap::new, Collectors.toList()));
	}

	private boolean autoStartup(String table, List<TriggerEndpoint> tableEndpoints) {
		Map<Boolean, List<String>> byAutoStartup = tableEndpoints.stream()
			.collect(Collectors.partitioningBy((endpoint) -> this.settings.triggerSettings(endpoint.id()).autoStartup(),
					Collectors.mapping(TriggerEndpoint::id, Collectors.toList())));
		if (!byAutoStartup.get(true).isEmpty() && !byAutoStartup.get(false).isEmpty()) {
			throw new IllegalStateException("Triggers " + byAutoStartup.get(true) + " and " + byAutoStartup.get(false)
					+ " of table " + table + " share one stream consumer but disagree on auto-startup; set"
					+ " dynamo-trigger.triggers.<id>.auto-startup alike for all triggers of the table.");
		}
		return byAutoStartup.get(false).isEmpty();
	}

	/**
	 * Adds a table to the shared KCL application, reading at once or held until it is started.
	 */
	private void addSharedConsumer(String table, List<TriggerEndpoint> tableEndpoints, boolean autoStartup) {
		TableConsumerSettings consumerSettings = this.settings.tableConsumer(table);
		SharedTableConsumer consumer = new SharedTableConsumer(table, activeTriggers(table, tableEndpoints),
				consumerSettings, this.streams.get(table), this.settings.perTableLeaseTable(table), this.shared,
				this.deadLetters, this.observations,
				this.metrics, this.settings.stallTimeout());
		this.consumers.put(table, consumer);
		this.leaseTableWatches.computeIfAbsent(table, (name) -> leaseTableWatches(consumerSettings,
				this.sharedLeaseTable.stream(consumer.stream().leaseKeyPrefix())));
		startBackfills(consumer);
		if (autoStartup) {
			consumer.start();
		}
	}

	private List<ActiveTrigger> activeTriggers(String table, List<TriggerEndpoint> tableEndpoints) {
		WindowStateTable windowStates = tableEndpoints.stream().anyMatch(TriggerEndpoint::isWindow)
				? new WindowStateTable(this.clients.dynamoDb(),
						this.settings.tableConsumer(table).leaseTable() + "-WindowState",
						this.streams.get(table).streamArn())
				: null;
		return tableEndpoints.stream().map((endpoint) -> {
			TriggerPause pause = new TriggerPause(this.settings.pauseMaxHeldRecords());
			this.metrics.held(endpoint.id(), table, pause::heldRecords, pause::waitingShards);
			return new ActiveTrigger(endpoint, this.settings.triggerSettings(endpoint.id()).errorPolicy(),
					this.metrics.trigger(endpoint.id(), table), batching(endpoint), pause,
					endpoint.isWindow() ? windowStates : null, this.idempotency.delivery(endpoint));
		}).toList();
	}

	private void startConsumer(String table, List<TriggerEndpoint> tableEndpoints) {
		List<ActiveTrigger> triggers = activeTriggers(table, tableEndpoints);
		TableConsumerSettings consumerSettings = this.settings.tableConsumer(table);
		TableConsumer consumer = new DedicatedTableConsumer(table, triggers, consumerSettings, this.streams.get(table),
				this.schedulers, this.deadLetters, this.observations,
				new LeaseTablePreparation(new StreamCheckpointGuard(this.clients.dynamoDbAsync(), this.clients.streams())),
				this.metrics, this.settings.shutdownTimeout(), this.settings.stallTimeout());
		this.consumers.put(table, consumer);
		this.leaseTableWatches.computeIfAbsent(table, (name) -> leaseTableWatches(consumerSettings,
				new LeaseTableScan(this.clients.dynamoDbAsync(), consumerSettings.leaseTable(), Clock.systemUTC())));
		startBackfills(consumer);
		consumer.start();
	}

	private LeaseTableWatches leaseTableWatches(TableConsumerSettings consumerSettings, LeaseTableScan leaseTable) {
		Duration failoverTime = consumerSettings.failoverTime();
		Duration orphanedAfter = failoverTime
			.plus(KclSchedulerFactory.leaseAssignmentInterval(this.settings.fastFailover()));
		return new LeaseTableWatches(leaseTable, new ShardHandOffWatch(leaseTable), new TakeoverWatch(leaseTable,
				this.clients.dynamoDbAsync(), consumerSettings.leaseTable() + "-CoordinatorState", orphanedAfter));
	}

	/**
	 * The batching of a trigger: its annotation's, with what its properties set instead.
	 */
	private BatchSettings batching(TriggerEndpoint endpoint) {
		TriggerSettings triggerSettings = this.settings.triggerSettings(endpoint.id());
		return endpoint.batching().with(triggerSettings.batchSize(), triggerSettings.batchWindow());
	}

	/**
	 * Stops all consumers at once, each gracefully within the shutdown timeout, so that the application's
	 * shutdown takes as long as the slowest table, not the sum; or the shared KCL application.
	 */
	@Override
	public synchronized void stop() {
		List<TableConsumer> stopped = List.copyOf(this.consumers.values());
		try {
			stopConsumers();
		}
		finally {
			stopped.forEach(this::stopBackfills);
		}
	}

	private void stopConsumers() {
		if (this.shared != null) {
			this.shared.stop();
			this.shared = null;
			this.consumers.clear();
			this.running = false;
			return;
		}
		List<Thread> stopping = this.consumers.values()
			.stream()
			.map((consumer) -> {
				Thread thread = new Thread(consumer::stop, "dynamo-trigger-stop-" + consumer.table());
				thread.start();
				return thread;
			})
			.toList();
		for (Thread thread : stopping) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		this.consumers.clear();
		this.running = false;
	}

	@Override
	public synchronized boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Returns the state of every enabled trigger.
	 * @return one status per trigger, in registration order
	 */
	public synchronized List<TriggerStatus> status() {
		List<TriggerStatus> statuses = new ArrayList<>();
		for (TriggerEndpoint endpoint : this.endpoints.values()) {
			if (!this.settings.triggerSettings(endpoint.id()).enabled()) {
				continue;
			}
			TableConsumer consumer = this.consumers.get(endpoint.table());
			TriggerState state = (consumer != null) ? consumer.state() : TriggerState.STOPPED;
			PauseStatus pause = (consumer != null) ? activeTrigger(consumer, endpoint.id()).pause().status() : null;
			if (state == TriggerState.RUNNING && pause != null && pause.paused()) {
				state = TriggerState.PAUSED;
			}
			List<ShardStatus> shards = (consumer != null) ? consumer.shards() : List.of();
			String leaseTableProblem = null;
			ShardHandOff handOff = null;
			Takeover takeover = null;
			LeaseTableWatches watches = this.leaseTableWatches.get(endpoint.table());
			if (watches != null && (state == TriggerState.RUNNING || state == TriggerState.PAUSED)) {
				leaseTableProblem = watches.leaseTable().problem();
				handOff = watches.handOff().handOff(consumer.lastShardEnd(), !shards.isEmpty());
				takeover = watches.takeover().takeover();
			}
			statuses.add(new TriggerStatus(endpoint.id(), endpoint.table(), endpoint.viewType(), endpoint.events(),
					this.settings.tableConsumer(endpoint.table()).leaseTable(), state, shards, leaseTableProblem, handOff,
					takeover, pause));
		}
		return statuses;
	}

	/**
	 * Pauses a running trigger on this instance (not on others, and not past a restart): its call in progress
	 * finishes (a retry waiting for its back-off is not made), then its shards hold the records it accepts,
	 * and their checkpoints before the oldest of them, while the table's other triggers go on. A shard that
	 * read {@code pauseMaxHeldRecords} records past the oldest record it holds for the trigger waits, for every
	 * trigger of the table, until {@link #resume}. A stop, a restart or a lease that moves while paused reads
	 * the held records again from the checkpoint, for every trigger of the table.
	 * @param triggerId the trigger
	 * @throws UnknownTriggerException if no trigger has the id
	 * @throws IllegalStateException if the trigger's consumer is not running
	 */
	public synchronized void pause(String triggerId) {
		activeTrigger(runningConsumer(triggerId), triggerId).pause().pause();
		log.info("Paused trigger '{}' on this instance; its shards hold its records while the other triggers of"
				+ " table {} go on", triggerId, endpoint(triggerId).table());
	}

	/**
	 * Resumes a paused trigger: each shard delivers what it holds for it, in stream order, before its next
	 * read.
	 * @param triggerId the trigger
	 * @throws UnknownTriggerException if no trigger has the id
	 * @throws IllegalStateException if the trigger's consumer is not running
	 */
	public synchronized void resume(String triggerId) {
		TriggerPause pause = activeTrigger(runningConsumer(triggerId), triggerId).pause();
		long held = pause.heldRecords();
		pause.resume();
		log.info("Resumed trigger '{}'; its shards deliver the {} record(s) they hold for it", triggerId, held);
	}

	/**
	 * Stops the consumer of the trigger's table gracefully: records in progress finish, batch triggers get
	 * what they gathered, and what is done is checkpointed, then the leases are given up. Affects every trigger
	 * of the table. In the shared KCL application, the table's shards finish the read in progress and hold
	 * before the next, keeping their leases (and a batch trigger's gathered records) until the table is started.
	 * @param triggerId the trigger
	 * @throws UnknownTriggerException if no trigger has the id
	 */
	public synchronized void stopTrigger(String triggerId) {
		String table = endpoint(triggerId).table();
		TableConsumer consumer = (this.shared != null) ? this.consumers.get(table) : this.consumers.remove(table);
		if (consumer != null) {
			consumer.stop();
			if (this.shared == null) {
				stopBackfills(consumer);
			}
		}
	}

	/**
	 * Starts the consumer of the trigger's table if it is not running; it resumes at the checkpoints.
	 * Affects every trigger of the table.
	 * @param triggerId the trigger
	 * @throws UnknownTriggerException if no trigger has the id
	 */
	public synchronized void startTrigger(String triggerId) {
		String table = endpoint(triggerId).table();
		TableConsumer consumer = this.consumers.get(table);
		if (this.shared != null && consumer != null) {
			if (consumer.state() == TriggerState.FAILED) {
				throw new IllegalStateException("The shared KCL application " + consumer.leaseTable() + " of trigger '"
						+ triggerId + "' stopped by itself (see the log); restart the application");
			}
			consumer.start();
			return;
		}
		if (consumer != null && consumer.state() != TriggerState.FAILED) {
			return;
		}
		if (consumer != null) {
			consumer.stop();
			stopBackfills(consumer);
		}
		if (!this.streams.containsKey(table)) {
			throw new IllegalStateException("Trigger '" + triggerId + "' is disabled or the triggers were never started");
		}
		startConsumer(table, enabledEndpointsByTable().get(table));
	}

	/**
	 * Begins another backfill of a running trigger, whether or not it asks for one or had one: its stream
	 * records wait from now on; the scan's start is noted, the table scanned and delivered, and the stream goes
	 * on, passing over the records the scan covers. Other instances go on reading the stream for the trigger
	 * until they start again.
	 * @param triggerId the trigger
	 * @throws UnknownTriggerException if no trigger has the id
	 * @throws IllegalStateException if the trigger's consumer is not running
	 */
	public synchronized void backfill(String triggerId) {
		TableConsumer consumer = runningConsumer(triggerId);
		ActiveTrigger trigger = activeTrigger(consumer, triggerId);
		trigger.seam(startBackfill(consumer, trigger, true));
		log.info("Began another backfill of trigger '{}'", triggerId);
	}

	/**
	 * Returns the progress of the triggers' backfills on this instance.
	 * @return progress by trigger id, for the triggers with a backfill since their consumer started
	 */
	public Map<String, BackfillProgress> backfillProgress() {
		return this.backfills.progress();
	}

	private TriggerEndpoint endpoint(String triggerId) {
		TriggerEndpoint endpoint;
		synchronized (this) {
			endpoint = this.endpoints.get(triggerId);
		}
		if (endpoint == null) {
			throw new UnknownTriggerException(triggerId, triggerIds());
		}
		return endpoint;
	}

	private TableConsumer runningConsumer(String triggerId) {
		TableConsumer consumer = this.consumers.get(endpoint(triggerId).table());
		if (consumer == null) {
			throw new IllegalStateException("Trigger '" + triggerId + "' is not running");
		}
		return consumer;
	}

	private static ActiveTrigger activeTrigger(TableConsumer consumer, String triggerId) {
		return consumer.triggers()
			.stream()
			.filter((trigger) -> trigger.id().equals(triggerId))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("Trigger '" + triggerId + "' is disabled"));
	}

	/**
	 * What observes the lease table of one table's consumer: one scan, shared by the watches and by all
	 * triggers of the table.
	 */
	private record LeaseTableWatches(LeaseTableScan leaseTable, ShardHandOffWatch handOff, TakeoverWatch takeover) {
	}

}
