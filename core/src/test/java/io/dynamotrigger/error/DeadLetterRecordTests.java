package io.dynamotrigger.error;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.StreamRecords;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

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
					"approximateCreationTime", "eventSource", "eventVersion", "awsRegion", "sizeBytes",
					"streamViewType", "keys", "oldImage", "newImage", "reason", "exceptionClass", "exceptionMessage",
					"stackHead", "attempts", "firstFailure", "lastFailure");
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

	@Test
	void everyFieldOfTheStreamRecordIsKeptSoTheRebuiltRecordIsTheSame() {
		Record ttlDelete = ttlDelete();
		DeadLetterRecord deadLetter = DeadLetterRecord.of("audit", "Reviews", "shard-1", ttlDelete,
				DeadLetterReason.RETRIES_EXHAUSTED, new IllegalStateException("boom"), 3, FIRST, LAST);

		assertThat(deadLetter.toStreamRecord()).isEqualTo(ttlDelete);
		assertThat(new ItemChange<>(deadLetter.toStreamRecord(), null, null).isTtlExpiry()).isTrue();
	}

	@Test
	void jsonReadBackIsTheSameDeadLetterWithoutTheExceptionItself() {
		DeadLetterRecord deadLetter = DeadLetterRecord.of("audit", "Reviews", "shard-1", ttlDelete(),
				DeadLetterReason.RETRIES_EXHAUSTED, new IllegalStateException("boom"), 3, FIRST, LAST);

		DeadLetterRecord read = DeadLetterJson.read(DeadLetterJson.write(deadLetter, 1_000_000));

		assertThat(read.source()).isEqualTo(deadLetter.source());
		assertThat(read.change()).isEqualTo(deadLetter.change());
		assertThat(read.failure().exception()).isNull();
		assertThat(read.failure()).usingRecursiveComparison()
			.ignoringFields("exception")
			.isEqualTo(deadLetter.failure());
		assertThat(read.toStreamRecord()).isEqualTo(ttlDelete());
	}

	/** A TTL delete with every field the service sends. */
	private static Record ttlDelete() {
		Record record = StreamRecords.ttlExpiry(StreamRecords.review("r1", 2, "gone"));
		return record.toBuilder()
			.eventVersion("1.1")
			.dynamodb(record.dynamodb().toBuilder().streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build())
			.build();
	}

	private DeadLetterRecord deadLetter(Throwable exception) {
		return DeadLetterRecord.of("audit", "Reviews", "shard-1", this.record, DeadLetterReason.RETRIES_EXHAUSTED,
				exception, 3, FIRST, LAST);
	}

}
