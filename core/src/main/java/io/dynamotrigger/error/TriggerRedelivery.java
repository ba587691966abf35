package io.dynamotrigger.error;

/**
 * Calls a trigger once for a dead-lettered record outside its stream, as redrive does.
 */
@FunctionalInterface
public interface TriggerRedelivery {

	/**
	 * Calls the method of the dead letter's trigger for its record (a batch method with a batch of one),
	 * with the dead letter's shard and the attempt after its last one in the {@code TriggerContext}.
	 * @param deadLetter the dead letter
	 * @throws UnknownTriggerException if no trigger has the dead letter's trigger id
	 * @throws Exception whatever the mapping or the method throws
	 */
	void redeliver(DeadLetterRecord deadLetter) throws Exception;

}
