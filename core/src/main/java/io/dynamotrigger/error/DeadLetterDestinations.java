package io.dynamotrigger.error;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where each trigger's dead letters go: the trigger's own destination if it has one, else the default
 * destination.
 */
public final class DeadLetterDestinations {

	private final DeadLetterHandler defaultDestination;

	private final Map<String, DeadLetterHandler> triggerDestinations;

	/**
	 * Creates the destinations; the map is copied.
	 * @param defaultDestination where the dead letters of triggers without their own destination go
	 * @param triggerDestinations the triggers' own destinations, by trigger id
	 */
	public DeadLetterDestinations(DeadLetterHandler defaultDestination,
			Map<String, DeadLetterHandler> triggerDestinations) {
		this.defaultDestination = defaultDestination;
		this.triggerDestinations = Map.copyOf(triggerDestinations);
	}

	/**
	 * Returns where a trigger's dead letters go.
	 * @param triggerId the trigger
	 * @return its own destination, or the default one
	 */
	public DeadLetterHandler of(String triggerId) {
		return this.triggerDestinations.getOrDefault(triggerId, this.defaultDestination);
	}

	/**
	 * Returns the DynamoDB table a trigger's dead letters are kept in.
	 * @param triggerId the trigger
	 * @return the table, or empty when the trigger's dead letters go elsewhere (e.g. to an SQS queue)
	 */
	public Optional<DynamoDbDeadLetterTable> tableOf(String triggerId) {
		return (of(triggerId) instanceof DynamoDbDeadLetterTable table) ? Optional.of(table) : Optional.empty();
	}

	/**
	 * Returns one handler for all triggers: it passes each dead letter to its trigger's destination, and
	 * prepares each destination once.
	 * @return the handler
	 */
	public DeadLetterHandler handler() {
		return new DeadLetterHandler() {

			@Override
			public void handle(DeadLetterRecord deadLetter) throws Exception {
				of(deadLetter.source().triggerId()).handle(deadLetter);
			}

			@Override
			public void prepare() {
				Set<DeadLetterHandler> destinations = new LinkedHashSet<>();
				destinations.add(DeadLetterDestinations.this.defaultDestination);
				destinations.addAll(DeadLetterDestinations.this.triggerDestinations.values());
				destinations.forEach(DeadLetterHandler::prepare);
			}

		};
	}

}
