package io.dynamotrigger.backfill;

import java.util.List;

import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Hands a page of backfill changes to a trigger, through its filters and error policy.
 */
@FunctionalInterface
public interface BackfillDelivery {

	/**
	 * Delivers backfill changes, returning once each is done for the trigger (handled, filtered or
	 * dead-lettered).
	 * @param changes the changes, one per scanned item
	 * @return {@code false} if the consumer stopped before every change was done
	 */
	boolean deliver(List<Record> changes);

}
