package io.dynamotrigger.filter;

import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import io.dynamotrigger.EventType;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/**
 * Accepts the stream records that touch at least one of some attributes: a {@link EventType#MODIFY} whose
 * old and new image differ in one of them (added, removed or given another value), an
 * {@link EventType#INSERT} whose new image has one of them, a {@link EventType#REMOVE} whose old image has
 * one of them. Reads the records' attribute maps only; nothing is mapped.
 *
 * <p>It needs the images of the events it is asked about: both for a MODIFY, so the stream's view type must
 * be {@code NEW_AND_OLD_IMAGES} when MODIFY records reach it. A record without the image it needs is not
 * accepted.
 */
public final class ChangedAttributesFilter implements Predicate<Record> {

	private final String[] names;

	/**
	 * Creates the filter.
	 * @param names the attribute names; at least one
	 * @throws IllegalArgumentException if there is none, or one is blank
	 */
	public ChangedAttributesFilter(Set<String> names) {
		if (names.isEmpty() || names.stream().anyMatch(String::isBlank)) {
			throw new IllegalArgumentException("changed lists no attribute or a blank one: " + names);
		}
		this.names = names.toArray(String[]::new);
	}

	@Override
	public boolean test(Record record) {
		StreamRecord change = record.dynamodb();
		return switch (EventType.of(record.eventName())) {
			case INSERT -> change.hasNewImage() && carriesAny(change.newImage());
			case REMOVE -> change.hasOldImage() && carriesAny(change.oldImage());
			case MODIFY -> change.hasOldImage() && change.hasNewImage()
					&& changesAny(change.oldImage(), change.newImage());
		};
	}

	private boolean carriesAny(Map<String, AttributeValue> image) {
		for (String name : this.names) {
			if (image.containsKey(name)) {
				return true;
			}
		}
		return false;
	}

	private boolean changesAny(Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
		for (String name : this.names) {
			AttributeValue old = before.get(name);
			if ((old != null) ? !old.equals(after.get(name)) : after.containsKey(name)) {
				return true;
			}
		}
		return false;
	}

}
