package io.dynamotrigger.backfill;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.dynamotrigger.ViewType;
import io.dynamotrigger.config.AwsClients;

/**
 * The backfills of an application's triggers: starts one when a trigger's consumer is created (if the trigger
 * asks for one) or when an operator asks, stops it with the consumer, and reports each trigger's progress. Its
 * gauges {@code dynamo.trigger.backfill.segments} and {@code dynamo.trigger.backfill.segments.done} (tags
 * {@code trigger}, {@code table}) follow a trigger's current backfill.
 */
public final class Backfills {

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	private final AwsClients clients;

	private final BackfillSettings settings;

	private final BackfillMetrics metrics;

	private final Map<String, BackfillMeters> meters = new ConcurrentHashMap<>();

	private final Clock clock;

	private final Map<String, Backfill> current = new ConcurrentHashMap<>();

	/**
	 * Creates the backfills of an application.
	 * @param clients their {@code dynamoDb()} client scans the tables and keeps the backfills' state
	 * @param settings how backfills run
	 * @param metrics creates their meters
	 * @param clock the time
	 */
	public Backfills(AwsClients clients, BackfillSettings settings, BackfillMetrics metrics, Clock clock) {
		this.clients = clients;
		this.settings = settings;
		this.metrics = metrics;
		this.clock = clock;
	}

	/**
	 * Returns how backfills run.
	 * @return the settings
	 */
	public BackfillSettings settings() {
		return this.settings;
	}

	/**
	 * Starts a trigger's backfill, stopping the one it had: at once its stream records wait (the returned seam
	 * holds them) until the scan is done; a backfill done before is not repeated unless {@code again}.
	 * @param triggerId the trigger
	 * @param table its table
	 * @param viewType its view type
	 * @param leaseTable the lease table of its consumer; the backfills' state table is named after it
	 * @param delivery hands changes to the trigger
	 * @param again {@code true} to begin another backfill even if one was done (an operator's request)
	 * @return where the trigger's stream waits for the scan; to be set on the trigger before its consumer reads
	 */
	public StreamSeam start(String triggerId, String table, ViewType viewType, String leaseTable,
			BackfillDelivery delivery, boolean again) {
		BackfillMeters triggerMeters = this.meters.computeIfAbsent(triggerId,
				(id) -> this.metrics.meters(id, table, () -> progressOf(id)));
		Backfill backfill = new Backfill(triggerId, table, viewType, this.settings,
				new BackfillStateTable(this.clients.dynamoDb(), stateTable(leaseTable)), this.clients.dynamoDb(), delivery,
				triggerMeters, this.clock, again);
		Backfill before = this.current.put(triggerId, backfill);
		if (before != null) {
			before.stop(STOP_TIMEOUT);
		}
		backfill.start();
		return backfill;
	}

	/**
	 * Returns the name of the table that keeps the backfills' state of a consumer.
	 * @param leaseTable the consumer's lease table
	 * @return the state table's name
	 */
	public static String stateTable(String leaseTable) {
		return leaseTable + "-Backfill";
	}

	/**
	 * Stops a trigger's backfill, if it has one, waiting a few seconds for its scan to give the lock up; its
	 * progress is kept for the next start. Call it after the trigger's consumer stopped, which ends a delivery
	 * in progress.
	 * @param triggerId the trigger
	 */
	public void stop(String triggerId) {
		Backfill backfill = this.current.remove(triggerId);
		if (backfill != null) {
			backfill.stop(STOP_TIMEOUT);
		}
	}

	/**
	 * Returns the progress of every trigger's backfill that runs or ran since its consumer started.
	 * @return progress by trigger id
	 */
	public Map<String, BackfillProgress> progress() {
		Map<String, BackfillProgress> progress = new LinkedHashMap<>();
		this.current.forEach((triggerId, backfill) -> progress.put(triggerId, backfill.progress()));
		return progress;
	}

	private BackfillProgress progressOf(String triggerId) {
		Backfill backfill = this.current.get(triggerId);
		return (backfill != null) ? backfill.progress() : null;
	}

}
