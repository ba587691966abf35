package io.dynamotrigger.error;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/**
 * A stream record a trigger could not handle, with everything needed to understand the failure and to
 * deliver the record again, in three parts: where the record came from ({@link Source}), the whole change
 * ({@link Change}: keys and images as DynamoDB attribute values) and what went wrong ({@link Failure}).
 *
 * <p>A {@link DeadLetterHandler} of the application gets the exception itself
 * ({@code failure().exception()}). The built-in destinations outside the process (a DynamoDB table, an SQS
 * queue) keep its class name, message and first stack trace lines; a dead letter read back from such a
 * destination has those, but no exception.
 *
 * @param source where the record came from
 * @param change what the record says happened to the item
 * @param failure why the record is a dead letter
 */
public record DeadLetterRecord(Source source, Change change, Failure failure) {

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
		Identity identity = record.userIdentity();
		return new DeadLetterRecord(
				new Source(triggerId, table, shardId, change.sequenceNumber(), record.eventID(), record.eventSource(),
						record.eventVersion(), record.awsRegion()),
				new Change(record.eventNameAsString(), change.approximateCreationDateTime(), change.keys(),
						change.oldImage(), change.newImage(), change.sizeBytes(), change.streamViewTypeAsString(),
						(identity != null) ? new UserIdentity(identity.type(), identity.principalId()) : null),
				Failure.of(reason, exception, attempts, firstFailure, lastFailure));
	}

	/**
	 * Rebuilds the stream record, for delivering it to the trigger again: every field the stream record
	 * had, so that the trigger sees the same record (a redriven TTL delete is still
	 * {@code isTtlExpiry()}).
	 * @return the stream record as it was read
	 */
	public Record toStreamRecord() {
		UserIdentity identity = this.change.userIdentity();
		return Record.builder()
			.eventID(this.source.eventId())
			.eventName(this.change.eventName())
			.eventSource(this.source.eventSource())
			.eventVersion(this.source.eventVersion())
			.awsRegion(this.source.awsRegion())
			.userIdentity((identity != null)
					? Identity.builder().type(identity.type()).principalId(identity.principalId()).build() : null)
			.dynamodb(StreamRecord.builder()
				.keys(this.change.keys())
				.oldImage(this.change.oldImage().isEmpty() ? null : this.change.oldImage())
				.newImage(this.change.newImage().isEmpty() ? null : this.change.newImage())
				.sequenceNumber(this.source.sequenceNumber())
				.approximateCreationDateTime(this.change.approximateCreationTime())
				.sizeBytes(this.change.sizeBytes())
				.streamViewType(this.change.streamViewType())
				.build())
			.build();
	}

	/**
	 * Where a dead-lettered record came from.
	 *
	 * @param triggerId the trigger that failed
	 * @param table the table whose stream the record came from
	 * @param shardId the shard the record came from
	 * @param sequenceNumber the record's sequence number in its shard
	 * @param eventId the record's unique id
	 * @param eventSource where the record comes from ({@code aws:dynamodb}), or {@code null} if not known
	 * @param eventVersion the stream record format's version, or {@code null} if not known
	 * @param awsRegion the region of the table, or {@code null} if not known
	 */
	public record Source(String triggerId, String table, String shardId, String sequenceNumber, String eventId,
			String eventSource, String eventVersion, String awsRegion) {
	}

	/**
	 * What a dead-lettered record says happened to the item.
	 *
	 * @param eventName what happened to the item, as the stream names it ({@code INSERT}, {@code MODIFY},
	 * {@code REMOVE}); kept as text so that a record with an operation unknown to this version is kept whole
	 * @param approximateCreationTime when DynamoDB wrote the change
	 * @param keys the item's key attributes
	 * @param oldImage the item before the change; empty if the record has none
	 * @param newImage the item after the change; empty if the record has none
	 * @param sizeBytes the size of the stream record in bytes, or {@code null} if not known
	 * @param streamViewType the view type the stream wrote the record with, or {@code null} if not known
	 * @param userIdentity who made the change when it was not an application (DynamoDB's TTL deletes), or
	 * {@code null}
	 */
	public record Change(String eventName, Instant approximateCreationTime, Map<String, AttributeValue> keys,
			Map<String, AttributeValue> oldImage, Map<String, AttributeValue> newImage, Long sizeBytes,
			String streamViewType, UserIdentity userIdentity) {

		/**
		 * Creates a change; the attribute maps are copied.
		 */
		public Change {
			keys = Map.copyOf(keys);
			oldImage = Map.copyOf(oldImage);
			newImage = Map.copyOf(newImage);
		}

	}

	/**
	 * Who made a change, as the stream record names it: for DynamoDB's TTL deletes the type {@code Service}
	 * and the principal {@code dynamodb.amazonaws.com}.
	 *
	 * @param type the identity's type
	 * @param principalId the identity's principal
	 */
	public record UserIdentity(String type, String principalId) {
	}

	/**
	 * Why a record is a dead letter.
	 *
	 * @param reason why the record was dead-lettered
	 * @param exception the last exception itself, for a {@link DeadLetterHandler} in the process; {@code null}
	 * for {@link DeadLetterReason#RECORD_TOO_OLD}, and for a dead letter read back from where it was kept
	 * @param exceptionClass the class name of the last exception, or {@code null} for
	 * {@link DeadLetterReason#RECORD_TOO_OLD}
	 * @param exceptionMessage the message of the last exception, or {@code null}
	 * @param stackHead the first lines of the last exception's stack trace, or {@code null}
	 * @param attempts how many times the trigger was called for the record
	 * @param firstFailure when the first call failed (or when the record was found too old)
	 * @param lastFailure when the last call failed (or when the record was found too old)
	 */
	public record Failure(DeadLetterReason reason, Throwable exception, String exceptionClass,
			String exceptionMessage, String stackHead, int attempts, Instant firstFailure, Instant lastFailure) {

		private static final int STACK_HEAD_LINES = 12;

		/**
		 * Describes a failure from its exception: class name, message and stack head are taken from it.
		 * @param reason why the record is dead-lettered
		 * @param exception the last exception, or {@code null}
		 * @param attempts calls made
		 * @param firstFailure time of the first failure
		 * @param lastFailure time of the last failure
		 * @return the failure
		 */
		public static Failure of(DeadLetterReason reason, Throwable exception, int attempts, Instant firstFailure,
				Instant lastFailure) {
			return new Failure(reason, exception, (exception != null) ? exception.getClass().getName() : null,
					(exception != null) ? exception.getMessage() : null,
					(exception != null) ? stackHead(exception) : null, attempts, firstFailure, lastFailure);
		}

		private static String stackHead(Throwable exception) {
			StringWriter trace = new StringWriter();
			exception.printStackTrace(new PrintWriter(trace));
			return String.join("\n", trace.toString().lines().limit(STACK_HEAD_LINES).toList());
		}

	}

}
