package io.dynamotrigger.error;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/**
 * A stream record a trigger could not handle, with everything needed to understand the failure and to
 * deliver the record again: the whole change (keys and images as DynamoDB attribute values), where it
 * came from, and what went wrong.
 *
 * @param triggerId the trigger that failed
 * @param table the table whose stream the record came from
 * @param shardId the shard the record came from
 * @param sequenceNumber the record's sequence number in its shard
 * @param eventId the record's unique id
 * @param eventName what happened to the item, as the stream names it ({@code INSERT}, {@code MODIFY},
 * {@code REMOVE}); kept as text so that a record with an operation unknown to this version is kept whole
 * @param approximateCreationTime when DynamoDB wrote the change
 * @param keys the item's key attributes
 * @param oldImage the item before the change; empty if the record has none
 * @param newImage the item after the change; empty if the record has none
 * @param reason why the record was dead-lettered
 * @param exceptionClass the class of the last exception, or {@code null} for {@link DeadLetterReason#RECORD_TOO_OLD}
 * @param exceptionMessage the message of the last exception, or {@code null}
 * @param stackHead the first lines of the last exception's stack trace, or {@code null}
 * @param attempts how many times the trigger was called for the record
 * @param firstFailure when the first call failed (or when the record was found too old)
 * @param lastFailure when the last call failed (or when the record was found too old)
 */
public record DeadLetterRecord(String triggerId, String table, String shardId, String sequenceNumber, String eventId,
		String eventName, Instant approximateCreationTime, Map<String, AttributeValue> keys,
		Map<String, AttributeValue> oldImage, Map<String, AttributeValue> newImage, DeadLetterReason reason,
		String exceptionClass, String exceptionMessage, String stackHead, int attempts, Instant firstFailure,
		Instant lastFailure) {

	private static final int STACK_HEAD_LINES = 12;

	/**
	 * Creates a dead letter; the attribute maps are copied.
	 */
	public DeadLetterRecord {
		keys = Map.copyOf(keys);
		oldImage = Map.copyOf(oldImage);
		newImage = Map.copyOf(newImage);
	}

	/**
	 * Describes a record that a trigger failed on.
	 * @param triggerId the trigger
	 * @param table the table
	 * @param shardId the shard
	 * @param record the stream record
	 * @param reason why it is dead-lettered
	 * @param exception the last exception, or {@code null}
	 * @param attempts calls made
	 * @param firstFailure time of the first failure
	 * @param lastFailure time of the last failure
	 * @return the dead letter
	 */
	public static DeadLetterRecord of(String triggerId, String table, String shardId, Record record,
			DeadLetterReason reason, Throwable exception, int attempts, Instant firstFailure, Instant lastFailure) {
		StreamRecord change = record.dynamodb();
		return new DeadLetterRecord(triggerId, table, shardId, change.sequenceNumber(), record.eventID(),
				record.eventNameAsString(), change.approximateCreationDateTime(), change.keys(),
				change.oldImage(), change.newImage(), reason,
				(exception != null) ? exception.getClass().getName() : null,
				(exception != null) ? exception.getMessage() : null, (exception != null) ? stackHead(exception) : null,
				attempts, firstFailure, lastFailure);
	}

	private static String stackHead(Throwable exception) {
		StringWriter trace = new StringWriter();
		exception.printStackTrace(new PrintWriter(trace));
		return String.join("\n", trace.toString().lines().limit(STACK_HEAD_LINES).toList());
	}

	/**
	 * Rebuilds the stream record, for delivering it to the trigger again.
	 * @return the stream record as it was read
	 */
	public Record toStreamRecord() {
		return Record.builder()
			.eventID(this.eventId)
			.eventName(this.eventName)
			.eventSource("aws:dynamodb")
			.dynamodb(StreamRecord.builder()
				.keys(this.keys)
				.oldImage(this.oldImage.isEmpty() ? null : this.oldImage)
				.newImage(this.newImage.isEmpty() ? null : this.newImage)
				.sequenceNumber(this.sequenceNumber)
				.approximateCreationDateTime(this.approximateCreationTime)
				.build())
			.build();
	}

}
