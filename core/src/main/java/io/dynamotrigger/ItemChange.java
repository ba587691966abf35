package io.dynamotrigger;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.dynamotrigger.mapping.ItemMapper;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/**
 * One change of one item, read from a table's stream, with its images mapped to the handler's type.
 *
 * <p>Which images are present follows from the event type and the stream's view type: an
 * {@link EventType#INSERT} has no old image, a {@link EventType#REMOVE} has no new image,
 * {@link ViewType#KEYS_ONLY} carries neither, {@link ViewType#NEW_IMAGE} no old image and
 * {@link ViewType#OLD_IMAGE} no new image. An absent image is {@code null}.
 *
 * <p>An item change is immutable. It keeps the stream record it was read from; everything else it offers
 * ({@link #eventType()}, {@link #keys()}, {@link #changedAttributes()}, ...) is read from that record when
 * called, so a handler pays only for what it uses. To build one in a test, build the record with the SDK's
 * {@code Record.builder()}.
 *
 * @param streamRecord the stream record the change was read from, as DynamoDB Streams returned it
 * @param oldImage the item before the change, or {@code null}
 * @param newImage the item after the change, or {@code null}
 * @param <T> the type the images are mapped to
 */
public record ItemChange<T>(Record streamRecord, T oldImage, T newImage) {

	/**
	 * The event source of a change that a backfill read from the table with a scan, not from the stream:
	 * see {@link #isBackfill()}.
	 */
	public static final String BACKFILL_EVENT_SOURCE = "dynamo-trigger:backfill";

	private static final String TTL_IDENTITY_TYPE = "Service";

	private static final String TTL_PRINCIPAL = "dynamodb.amazonaws.com";

	/**
	 * Creates an item change.
	 */
	public ItemChange {
		Objects.requireNonNull(streamRecord, "streamRecord");
		Objects.requireNonNull(streamRecord.dynamodb(), "streamRecord.dynamodb");
	}

	/**
	 * Returns what happened to the item.
	 * @return the event type
	 * @throws IllegalArgumentException if the record's event name is unknown to this version
	 */
	public EventType eventType() {
		return EventType.of(this.streamRecord.eventName());
	}

	/**
	 * Returns the item's key attributes, present for every view type.
	 * @return the keys, never {@code null}
	 */
	public Map<String, AttributeValue> keys() {
		return this.streamRecord.dynamodb().keys();
	}

	/**
	 * Maps the item's key attributes to a class, e.g. a key class with just the partition and sort key
	 * properties, or the item class itself (its other properties stay unset). The class's table schema is
	 * built on the first call for the class and reused.
	 * @param keyType a class annotated with {@code @DynamoDbBean} or {@code @DynamoDbImmutable}
	 * @param <K> the key type
	 * @return the keys as a {@code K}
	 * @throws IllegalArgumentException if the Enhanced Client cannot map the class
	 * @throws io.dynamotrigger.mapping.RecordMappingException if the keys do not fit the class
	 */
	public <K> K keys(Class<K> keyType) {
		return ItemMapper.of(keyType).map(keys());
	}

	/**
	 * Returns the record's sequence number in its shard.
	 * @return the sequence number
	 */
	public String sequenceNumber() {
		return this.streamRecord.dynamodb().sequenceNumber();
	}

	/**
	 * Returns when DynamoDB wrote the change.
	 * @return the approximate creation time, to the second or better
	 */
	public Instant approximateCreationTime() {
		return this.streamRecord.dynamodb().approximateCreationDateTime();
	}

	/**
	 * Returns the record's unique id.
	 * @return the event id
	 */
	public String eventId() {
		return this.streamRecord.eventID();
	}

	/**
	 * Returns the size of the record's keys and images, as DynamoDB reports it.
	 * @return the size in bytes, 0 if the record does not say
	 */
	public long sizeBytes() {
		Long size = this.streamRecord.dynamodb().sizeBytes();
		return (size != null) ? size : 0;
	}

	/**
	 * Tells whether the change is the deletion of an expired item by DynamoDB's time-to-live process, as
	 * the record's user identity (type {@code Service}, principal {@code dynamodb.amazonaws.com}) says.
	 * @return {@code true} for a {@link EventType#REMOVE} done by TTL, {@code false} otherwise
	 */
	public boolean isTtlExpiry() {
		Identity identity = this.streamRecord.userIdentity();
		return identity != null && TTL_IDENTITY_TYPE.equals(identity.type())
				&& TTL_PRINCIPAL.equals(identity.principalId()) && eventType() == EventType.REMOVE;
	}

	/**
	 * Tells whether the change was read by a backfill's scan of the table rather than from its stream: an
	 * item that existed when the scan read it, as an {@link EventType#INSERT} with no old image, its new image
	 * the item as scanned (for view types that carry a new image; keys only otherwise), no sequence number,
	 * its approximate creation time the time of the scan's read. The same item may come again from the
	 * stream if it was changed while the scan ran (see the delivery semantics).
	 * @return {@code true} for a change read by a backfill's scan
	 */
	public boolean isBackfill() {
		return BACKFILL_EVENT_SOURCE.equals(this.streamRecord.eventSource());
	}

	/**
	 * Returns the names of the attributes whose values differ between the old and the new image: for a
	 * {@link EventType#MODIFY} the attributes added, removed or given another value; for an
	 * {@link EventType#INSERT} all attributes of the new image; for a {@link EventType#REMOVE} all of the old
	 * image. Computed from the record's images on each call.
	 * @return the changed attribute names, new image's order first
	 * @throws IllegalStateException if the record lacks an image this needs, which happens when the stream's
	 * view type is not {@link ViewType#NEW_AND_OLD_IMAGES} (or, for an insert, {@link ViewType#NEW_IMAGE};
	 * for a remove, {@link ViewType#OLD_IMAGE})
	 */
	public Set<String> changedAttributes() {
		StreamRecord change = this.streamRecord.dynamodb();
		EventType eventType = eventType();
		boolean needsOld = eventType != EventType.INSERT;
		boolean needsNew = eventType != EventType.REMOVE;
		if ((needsOld && !change.hasOldImage()) || (needsNew && !change.hasNewImage())) {
			throw new IllegalStateException("changedAttributes() of a " + eventType + " needs the "
					+ ((needsOld && needsNew) ? "old and the new image" : needsOld ? "old image" : "new image")
					+ ", which this record does not carry; read the table's stream with view type NEW_AND_OLD_IMAGES.");
		}
		Map<String, AttributeValue> before = needsOld ? change.oldImage() : Map.of();
		Map<String, AttributeValue> after = needsNew ? change.newImage() : Map.of();
		Set<String> changed = new LinkedHashSet<>();
		after.forEach((name, value) -> {
			if (!value.equals(before.get(name))) {
				changed.add(name);
			}
		});
		before.keySet().forEach((name) -> {
			if (!after.containsKey(name)) {
				changed.add(name);
			}
		});
		return Collections.unmodifiableSet(changed);
	}

}
