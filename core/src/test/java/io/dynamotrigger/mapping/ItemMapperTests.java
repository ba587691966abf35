package io.dynamotrigger.mapping;

import java.time.Instant;
import java.util.Map;

import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.Review;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ItemMapperTests {

	private static final Instant CREATED = Instant.parse("2024-05-01T10:15:30Z");

	private static final Map<String, AttributeValue> KEYS = Map.of("id", s("r1"));

	private static final Map<String, AttributeValue> OLD = Map.of("id", s("r1"), "rating", n("3"), "text", s("ok"));

	private static final Map<String, AttributeValue> NEW = Map.of("id", s("r1"), "rating", n("5"), "text", s("great"));

	private final ItemMapper<Review> mapper = ItemMapper.of(Review.class);

	@Test
	void mapsAnImageToTheBean() {
		assertThat(this.mapper.map(NEW)).usingRecursiveComparison().isEqualTo(new Review("r1", 5, "great"));
	}

	@Test
	void mapsAnImageToAnImmutableClass() {
		ImmutableReview review = ItemMapper.of(ImmutableReview.class).map(NEW);

		assertThat(review.id()).isEqualTo("r1");
		assertThat(review.rating()).isEqualTo(5);
	}

	@Test
	void mapsAnAbsentImageToNull() {
		assertThat(this.mapper.map(null)).isNull();
	}

	@Test
	void mapsAnEmptyImageToNull() {
		assertThat(this.mapper.map(Map.of())).isNull();
	}

	@Test
	void itemChangeCarriesEventTypeKeysImagesAndRecordMetadata() {
		ItemChange<Review> change = this.mapper.toItemChange(record(OperationType.MODIFY, OLD, NEW));

		assertThat(change.eventType()).isEqualTo(EventType.MODIFY);
		assertThat(change.keys()).isEqualTo(KEYS);
		assertThat(change.oldImage()).usingRecursiveComparison().isEqualTo(new Review("r1", 3, "ok"));
		assertThat(change.newImage()).usingRecursiveComparison().isEqualTo(new Review("r1", 5, "great"));
		assertThat(change.sequenceNumber()).isEqualTo("4100000000000000000001");
		assertThat(change.approximateCreationTime()).isEqualTo(CREATED);
		assertThat(change.eventId()).isEqualTo("event-1");
	}

	@Test
	void itemChangeOfAnInsertHasNoOldImage() {
		ItemChange<Review> change = this.mapper.toItemChange(record(OperationType.INSERT, null, NEW));

		assertThat(change.oldImage()).isNull();
	}

	@Test
	void itemChangeOfARemoveHasNoNewImage() {
		ItemChange<Review> change = this.mapper.toItemChange(record(OperationType.REMOVE, OLD, null));

		assertThat(change.newImage()).isNull();
	}

	@Test
	void itemChangeOfAKeysOnlyRecordHasKeysButNoImages() {
		ItemChange<Review> change = this.mapper.toItemChange(record(OperationType.MODIFY, null, null));

		assertThat(change.keys()).isEqualTo(KEYS);
		assertThat(change.oldImage()).isNull();
		assertThat(change.newImage()).isNull();
	}

	@Test
	void itemOfAnInsertIsTheNewImage() {
		assertThat(this.mapper.toItem(record(OperationType.INSERT, null, NEW))).usingRecursiveComparison()
			.isEqualTo(new Review("r1", 5, "great"));
	}

	@Test
	void itemOfAModifyIsTheNewImage() {
		assertThat(this.mapper.toItem(record(OperationType.MODIFY, OLD, NEW))).usingRecursiveComparison()
			.isEqualTo(new Review("r1", 5, "great"));
	}

	@Test
	void itemOfARemoveIsTheOldImage() {
		assertThat(this.mapper.toItem(record(OperationType.REMOVE, OLD, null))).usingRecursiveComparison()
			.isEqualTo(new Review("r1", 3, "ok"));
	}

	@Test
	void itemOfARecordWithoutTheImageIsNull() {
		assertThat(this.mapper.toItem(record(OperationType.MODIFY, OLD, null))).isNull();
	}

	@Test
	void attributeOfAnotherTypeThanTheClassDeclaresFailsNamingTheClass() {
		Map<String, AttributeValue> image = Map.of("id", s("r1"), "rating", s("abc"));

		assertThatExceptionOfType(RecordMappingException.class).isThrownBy(() -> this.mapper.map(image))
			.withMessageContaining(Review.class.getName());
	}

	@Test
	void attributeOfAnotherTypeThanTheClassDeclaresFailsNamingTheAttribute() {
		Map<String, AttributeValue> image = Map.of("id", s("r1"), "rating", s("abc"), "text", s("fine"));

		assertThatExceptionOfType(RecordMappingException.class).isThrownBy(() -> this.mapper.map(image))
			.withMessageContaining("attribute 'rating' (of type S) does not fit");
	}

	@Test
	void mapperOfAClassTheEnhancedClientCannotMapIsRejectedWithAdviceToAnnotate() {
		assertThatIllegalArgumentException().isThrownBy(() -> ItemMapper.of(String.class))
			.withMessageContaining(String.class.getName())
			.withMessageContaining("Annotate the class with @DynamoDbBean");
	}

	@Test
	void mapperKnowsItsType() {
		assertThat(this.mapper.type()).isEqualTo(Review.class);
	}

	private static Record record(OperationType operation, Map<String, AttributeValue> oldImage,
			Map<String, AttributeValue> newImage) {
		StreamRecord.Builder change = StreamRecord.builder()
			.keys(KEYS)
			.sequenceNumber("4100000000000000000001")
			.approximateCreationDateTime(CREATED);
		if (oldImage != null) {
			change.oldImage(oldImage);
		}
		if (newImage != null) {
			change.newImage(newImage);
		}
		return Record.builder().eventID("event-1").eventName(operation).dynamodb(change.build()).build();
	}

	private static AttributeValue s(String value) {
		return AttributeValue.fromS(value);
	}

	private static AttributeValue n(String value) {
		return AttributeValue.fromN(value);
	}

}
