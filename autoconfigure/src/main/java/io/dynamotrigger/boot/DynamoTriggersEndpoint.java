package io.dynamotrigger.boot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.dynamotrigger.backfill.BackfillProgress;
import io.dynamotrigger.error.DeadLetterDestinations;
import io.dynamotrigger.error.DeadLetterRedriver;
import io.dynamotrigger.listener.TriggerRegistry;
import io.dynamotrigger.status.TriggerStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code dynamotriggers} actuator endpoint: lists the triggers with their state, shards, lag and
 * checkpoints, the leases waiting for a takeover after their holder stopped renewing them (and the
 * dead-letter table and count when a trigger's dead letters are kept in DynamoDB), and
 * changes one trigger:
 * {@code pause}, {@code resume}, {@code stop}, {@code start}, {@code redrive}, {@code backfill} (another scan of
 * the trigger's table, then its stream; see {@code TriggerRegistry.backfill}). Stop and start act on the
 * trigger's table consumer, so on all triggers of its table.
 */
@Endpoint(id = "dynamotriggers")
public final class DynamoTriggersEndpoint {

	private final TriggerRegistry registry;

	private final ObjectProvider<DeadLetterDestinations> deadLetters;

	private final ObjectProvider<DeadLetterRedriver> redriver;

	DynamoTriggersEndpoint(TriggerRegistry registry, ObjectProvider<DeadLetterDestinations> deadLetters,
			ObjectProvider<DeadLetterRedriver> redriver) {
		this.registry = registry;
		this.deadLetters = deadLetters;
		this.redriver = redriver;
	}

	/**
	 * Lists all triggers.
	 * @return a description of each trigger, by id
	 */
	@ReadOperation
	public Map<String, Object> triggers() {
		Map<String, Object> triggers = new LinkedHashMap<>();
		this.registry.status().forEach((status) -> triggers.put(status.id(), describe(status)));
		return triggers;
	}

	/**
	 * Describes one trigger.
	 * @param id the trigger's id
	 * @return its description
	 */
	@ReadOperation
	public Map<String, Object> trigger(@Selector String id) {
		return describe(status(id));
	}

	/**
	 * Changes one trigger.
	 * @param id the trigger's id
	 * @param action {@code pause}, {@code resume}, {@code stop}, {@code start}, {@code redrive} or {@code backfill}
	 * @return the trigger's description afterwards; for {@code redrive} also how many dead letters were
	 * handled and how many failed again
	 */
	@WriteOperation
	public Map<String, Object> change(@Selector String id, String action) {
		Map<String, Object> result = new LinkedHashMap<>();
		switch (action) {
			case "pause" -> this.registry.pause(id);
			case "resume" -> this.registry.resume(id);
			case "stop" -> this.registry.stopTrigger(id);
			case "start" -> this.registry.startTrigger(id);
			case "backfill" -> this.registry.backfill(id);
			case "redrive" -> {
				DeadLetterRedriver redrive = this.redriver.getIfAvailable();
				if (redrive == null) {
					throw new IllegalStateException("Redrive reads the starter's dead-letter tables and queues; the"
							+ " application has its own DeadLetterHandler");
				}
				result.put("redrive", redrive.redrive(id));
			}
			default -> throw new IllegalArgumentException(
					"Unknown action '" + action + "'; use pause, resume, stop, start, redrive or backfill");
		}
		result.putAll(describe(status(id)));
		return result;
	}

	private TriggerStatus status(String id) {
		List<TriggerStatus> statuses = this.registry.status();
		return statuses.stream()
			.filter((status) -> status.id().equals(id))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No enabled trigger has the id '" + id
					+ "'; the triggers are " + statuses.stream().map(TriggerStatus::id).toList()));
	}

	private Map<String, Object> describe(TriggerStatus status) {
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("table", status.table());
		description.put("viewType", status.viewType());
		description.put("events", status.events());
		description.put("state", status.state());
		description.put("leaseTable", status.leaseTable());
		description.put("shards", status.shards());
		if (status.leaseTableProblem() != null) {
			description.put("leaseTableProblem", status.leaseTableProblem());
		}
		if (status.shardHandOff() != null) {
			description.put("shardHandOff", status.shardHandOff());
		}
		if (status.takeover() != null) {
			description.put("takeover", status.takeover());
		}
		if (status.pause() != null) {
			description.put("pause", status.pause());
		}
		BackfillProgress backfill = this.registry.backfillProgress().get(status.id());
		if (backfill != null) {
			description.put("backfill", backfill);
		}
		DeadLetterDestinations destinations = this.deadLetters.getIfAvailable();
		if (destinations != null) {
			destinations.tableOf(status.id()).ifPresent((table) -> {
				description.put("deadLetterTable", table.tableName());
				description.put("deadLetters", table.count(status.id()));
			});
		}
		return description;
	}

}
