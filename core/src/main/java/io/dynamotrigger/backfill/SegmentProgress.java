package io.dynamotrigger.backfill;

import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How far one segment of a scan has got.
 *
 * @param lastKey the key the next scan request of the segment starts after, or {@code null} to start at the
 * segment's beginning
 * @param done whether the segment is scanned to its end
 * @param items how many items of the segment were delivered up to the last key
 */
record SegmentProgress(Map<String, AttributeValue> lastKey, boolean done, long items) {

	static final SegmentProgress START = new SegmentProgress(null, false, 0);

}
