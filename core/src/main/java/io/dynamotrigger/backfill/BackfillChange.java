package io.dynamotrigger.backfill;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.dynamotrigger.ItemChange;
import io.dynamotrigger.ViewType;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/**
 * Turns a scanned item into the change a trigger gets for it: an {@code INSERT} as the trigger's view type
 * would carry it (the item as its new image for a view type with new images, its keys alone otherwise), with
 * the backfill's event source ({@link ItemChange#BACKFILL_EVENT_SOURCE}), and a sequence number made of the
 * scan's start, the segment and the item's number in it, which is the same when a resumed scan reads the item
 * again and tells dead letters and batch failures apart.
 */
final class BackfillChange {

	private final List<String> keyNames;

	private final ViewType viewType;

	private final String scanStart;

	/**
	 * Prepares the changes of one scan.
	 * @param keyNames the table's key attributes
	 * @param viewType the trigger's view type
	 * @param scanStartedAt when the scan began, in epoch milliseconds
	 */
	BackfillChange(List<String> keyNames, ViewType viewType, long scanStartedAt) {
		this.keyNames = List.copyOf(keyNames);
		this.viewType = viewType;
		this.scanStart = Long.toString(scanStartedAt);
	}

	Record of(Map<String, AttributeValue> item, int segment, long number, Instant readAt) {
		String sequenceNumber = this.scanStart + "-" + segment + "-" + number;
		Map<String, AttributeValue> keys = this.keyNames.stream()
			.filter(item::containsKey)
			.collect(Collectors.toMap((name) -> name, item::get));
		StreamRecord.Builder change = StreamRecord.builder()
			.keys(keys)
			.sequenceNumber(sequenceNumber)
			.approximateCreationDateTime(readAt)
			.streamViewType(this.viewType.name());
		if (this.viewType.carriesNewImage()) {
			change.newImage(item);
		}
		return Record.builder()
			.eventID("backfill-" + sequenceNumber)
			.eventName(OperationType.INSERT)
			.eventSource(ItemChange.BACKFILL_EVENT_SOURCE)
			.dynamodb(change.build())
			.build();
	}

}
