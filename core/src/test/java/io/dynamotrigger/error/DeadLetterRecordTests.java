package io.dynamotrigger.error;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamotrigger.StreamRecords;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterRecordTests {

	private static final Instant FIRST = Instant.parse("2026-11-25T12:00:00Z");

	private static final Instant LAST = FIRST.plusSeconds(3);

	private final Record record = StreamRecords.record(OperationType.MODIFY, "100",
			StreamRecords.review("r1", 4, "before"), StreamRecords.review("r1", 5, "after"));

	@Test
	void sourceSaysWhereTheRecordCameFrom() {
		DeadLetterRecord.Source source = deadLetter(new IllegalStateException("boom")).source();

		assertThat(source.triggerId()).isEqualTo("audit");
		assertThat(source.table()).isEqualTo("Reviews");
		assertThat(source.shardId()).isEqualTo("shard-1");
		assertThat(source.sequenceNumber()).isEqualTo("100");
		assertThat(source.eventId()).isEqualTo(this.record.eventID());
	}

	@Test
	void changeIsTheWholeChange() {
		DeadLetterRecord.Change change = deadLetter(new IllegalStateException("boom")).change();

		assertThat(change.eventName()).isEqualTo("MODIFY");
		assertThat(change.keys()).isEqualTo(this.record.dynamodb().keys());
		assertThat(change.oldImage()).containsEntry("text", AttributeValue.fromS("before"));
		assertThat(change.newImage()).containsEntry("text", AttributeValue.fromS("after"));
		assertThat(change.approximateCreationTime()).isEqualTo(this.record.dynamodb().approximateCreationDateTime());
	}

	@Test
	void failureCarriesTheExceptionItselfAndItsClassMessageAndStackHead() {
		IllegalStateException exception = new IllegalStateException("boom");

		DeadLetterRecord.Failure failure = deadLetter(exception).failure();

		assertThat(failure.exception()).isSameAs(exception);
		assertThat(failure.exceptionClass()).isEqualTo(IllegalStateException.class.getName());
		assertThat(failure.exceptionMessage()).isEqualTo("boom");
		assertThat(failure.stackHead()).startsWith("java.lang.IllegalStateException: boom")
			.contains("DeadLetterRecordTests");
		assertThat(failure.reason()).isEqualTo(DeadLetterReason.RETRIES_EXHAUSTED);
		assertThat(failure.attempts()).isEqualTo(3);
		assertThat(failure.firstFailure()).isEqualTo(FIRST);
		assertThat(failure.lastFailure()).isEqualTo(LAST);
	}

	@Test
	void failureWithoutExceptionHasNoExceptionClassOrMessage() {
		DeadLetterRecord.Failure failure = DeadLetterRecord
			.of("audit", "Reviews", "shard-1", this.record, DeadLetterReason.RECORD_TOO_OLD, null, 0, FIRST, FIRST)
			.failure();

		assertThat(failure.exception()).isNull();
		assertThat(failure.exceptionClass()).isNull();
		assertThat(failure.exceptionMessage()).isNull();
		assertThat(failure.stackHead()).isNull();
	}

	@Test
	void jsonKeepsTheExceptionsClassAndMessageAsText() throws Exception {
		JsonNode json = new ObjectMapper()
			.readTree(DeadLetterJson.write(deadLetter(new IllegalStateException("boom")), 1_000_000));

		assertThat(json.get("exceptionClass").asText()).isEqualTo(IllegalStateException.class.getName());
		assertThat(json.get("exceptionMessage").asText()).isEqualTo("boom");
		assertThat(json.get("stackHead").asText()).startsWith("java.lang.IllegalStateException: boom");
		assertThat(json.fieldNames()).toIterable()
			.containsExactly("triggerId", "table", "shardId", "sequenceNumber", "eventId", "eventType",
					"approximateCreationTime", "keys", "oldImage", "newImage", "reason", "exceptionClass",
					"exceptionMessage", "stackHead", "attempts", "firstFailure", "lastFailure");
	}

	@Test
	void streamRecordIsRebuiltFromSourceAndChange() {
		Record rebuilt = deadLetter(new IllegalStateException("boom")).toStreamRecord();

		assertThat(rebuilt.eventID()).isEqualTo(this.record.eventID());
		assertThat(rebuilt.eventNameAsString()).isEqualTo("MODIFY");
		assertThat(rebuilt.dynamodb().sequenceNumber()).isEqualTo("100");
		assertThat(rebuilt.dynamodb().keys()).isEqualTo(this.record.dynamodb().keys());
		assertThat(rebuilt.dynamodb().oldImage()).isEqualTo(this.record.dynamodb().oldImage());
		assertThat(rebuilt.dynamodb().newImage()).isEqualTo(this.record.dynamodb().newImage());
	}

	private DeadLetterRecord deadLetter(Throwable exception) {
		return DeadLetterRecord.of("audit", "Reviews", "shard-1", this.record, DeadLetterReason.RETRIES_EXHAUSTED,
				exception, 3, FIRST, LAST);
	}

}
