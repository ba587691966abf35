package io.dynamotrigger;

import java.time.Instant;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/**
 * Stream records built through the SDK model, as DynamoDB Streams returns them.
 */
public final class StreamRecords {

	public static final Instant CREATED = Instant.parse("2026-05-01T10:15:30Z");

	private StreamRecords() {
	}

	/**
	 * A record of the item with key {@code id}; an image is left out when {@code null}.
	 */
	public static Record record(OperationType operation, String sequenceNumber, Map<String, AttributeValue> oldImage,
			Map<String, AttributeValue> newImage) {
		Map<String, AttributeValue> image = (newImage != null) ? newImage : oldImage;
		StreamRecord.Builder change = StreamRecord.builder()
			.keys(Map.of("id", (image != null) ? image.get("id") : s("r1")))
			.sequenceNumber(sequenceNumber)
			.sizeBytes(42L)
			.approximateCreationDateTime(CREATED);
		if (oldImage != null) {
			change.oldImage(oldImage);
		}
		if (newImage != null) {
			change.newImage(newImage);
		}
		return Record.builder()
			.eventID("event-" + sequenceNumber)
			.eventName(operation)
			.eventSource("aws:dynamodb")
			.awsRegion("eu-west-1")
			.dynamodb(change.build())
			.build();
	}

	/**
	 * A REMOVE done by DynamoDB's time-to-live process.
	 */
	public static Record ttlExpiry(Map<String, AttributeValue> oldImage) {
		return record(OperationType.REMOVE, "900", oldImage, null).toBuilder()
			.userIdentity(Identity.builder().type("Service").principalId("dynamodb.amazonaws.com").build())
			.build();
	}

	public static Map<String, AttributeValue> review(String id, int rating, String text) {
		return Map.of("id", s(id), "rating", n(Integer.toString(rating)), "text", s(text));
	}

	public static AttributeValue s(String value) {
		return AttributeValue.fromS(value);
	}

	public static AttributeValue n(String value) {
		return AttributeValue.fromN(value);
	}

}
