package io.dynamotrigger;

import java.time.Instant;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One change of one item, read from a table's stream and mapped to the handler's type.
 *
 * <p>Which images are present follows from the event type and the stream's view type: an
 * {@link EventType#INSERT} has no old image, a {@link EventType#REMOVE} has no new image,
 * {@link ViewType#KEYS_ONLY} carries neither, {@link ViewType#NEW_IMAGE} no old image and
 * {@link ViewType#OLD_IMAGE} no new image. An absent image is {@code null}.
 *
 * @param eventType what happened to the item
 * @param keys the item's key attributes (never {@code null})
 * @param oldImage the item before the change, or {@code null}
 * @param newImage the item after the change, or {@code null}
 * @param sequenceNumber the record's sequence number in its shard
 * @param approximateCreationTime when DynamoDB wrote the change, to the second or better
 * @param eventId the record's unique id
 * @param <T> the type the images are mapped to
 */
public record ItemChange<T>(EventType eventType, Map<String, AttributeValue> keys, T oldImage, T newImage,
		String sequenceNumber, Instant approximateCreationTime, String eventId) {

	/**
	 * Creates an item change; the key map is copied.
	 */
	public ItemChange {
		keys = Map.copyOf(keys);
	}

}
