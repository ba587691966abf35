package io.dynamotrigger.window;

import java.util.List;

import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * How the windows of one shard's trigger reach the trigger: through the table's record pipeline, with its
 * filter, error policy, dead letters, pausing, meters and stop. The methods that wait return {@code false}
 * when the consumer stopped meanwhile.
 */
public interface WindowCalls {

	/**
	 * Runs the trigger's filter on a record.
	 * @param record the stream record
	 * @return whether the trigger is to get it
	 */
	boolean accepts(Record record);

	/**
	 * Makes a call with records, as the trigger's error policy says: retried after failures, and the records
	 * dead-lettered when it gives up.
	 * @param records the records, in stream order, not empty
	 * @param call makes one call
	 * @return {@code true} when the records are done (handled or dead-lettered), {@code false} if the consumer
	 * stopped before
	 */
	boolean call(List<Record> records, Call call);

	/**
	 * Makes a window's final call, with no records, until it succeeds, pausing between failures as the
	 * trigger's back-off says (starting it over when it gives up).
	 * @param call makes one call
	 * @return {@code true} when a call succeeded, {@code false} if the consumer stopped before
	 */
	boolean callFinal(Call call);

	/**
	 * Waits before trying a failed step again.
	 * @param millis how long
	 * @return {@code false} if the consumer stopped meanwhile
	 */
	boolean awaitRetry(long millis);

	/**
	 * One call of a window method.
	 */
	@FunctionalInterface
	interface Call {

		/**
		 * Calls the method once.
		 * @param records the records of the call, in stream order; empty for a final call
		 * @param attempt the number of the call, from 1
		 * @throws Throwable what the method (or the mapping, or writing its state) threw
		 */
		void call(List<Record> records, int attempt) throws Throwable;

	}

}
