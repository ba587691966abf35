package io.dynamotrigger;

import java.util.HashMap;
import java.util.Map;

import io.dynamotrigger.mapping.ItemMapper;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;

import static io.dynamotrigger.StreamRecords.record;
import static io.dynamotrigger.StreamRecords.review;
import static io.dynamotrigger.StreamRecords.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ItemChangeTests {

	@Test
	void metadataIsReadFromTheStreamRecord() {
		ItemChange<Review> change = change(record(OperationType.INSERT, "100", null, review("r1", 5, "great")));

		assertThat(change.eventType()).isEqualTo(EventType.INSERT);
		assertThat(change.keys()).containsExactly(Map.entry("id", s("r1")));
		assertThat(change.sequenceNumber()).isEqualTo("100");
		assertThat(change.eventId()).isEqualTo("event-100");
		assertThat(change.approximateCreationTime()).isEqualTo(StreamRecords.CREATED);
		assertThat(change.sizeBytes()).isEqualTo(42);
	}

	@Test
	void sizeIsZeroWhenTheRecordDoesNotSayIt() {
		Record record = record(OperationType.INSERT, "100", null, review("r1", 5, "great"));
		Record withoutSize = record.toBuilder().dynamodb(record.dynamodb().toBuilder().sizeBytes(null).build()).build();

		assertThat(change(withoutSize).sizeBytes()).isZero();
	}

	@Test
	void removeByTheTimeToLiveServiceIsATtlExpiry() {
		assertThat(change(StreamRecords.ttlExpiry(review("r1", 5, "great"))).isTtlExpiry()).isTrue();
	}

	@Test
	void removeByAUserIsNoTtlExpiry() {
		Record record = record(OperationType.REMOVE, "100", review("r1", 5, "great"), null).toBuilder()
			.userIdentity(Identity.builder().type("User").principalId("arn:aws:iam::1:user/alice").build())
			.build();

		assertThat(change(record).isTtlExpiry()).isFalse();
	}

	@Test
	void removeWithoutUserIdentityIsNoTtlExpiry() {
		assertThat(change(record(OperationType.REMOVE, "100", review("r1", 5, "great"), null)).isTtlExpiry())
			.isFalse();
	}

	@Test
	void modifyIsNeverATtlExpiry() {
		Record record = record(OperationType.MODIFY, "100", review("r1", 5, "a"), review("r1", 4, "a")).toBuilder()
			.userIdentity(Identity.builder().type("Service").principalId("dynamodb.amazonaws.com").build())
			.build();

		assertThat(change(record).isTtlExpiry()).isFalse();
	}

	@Test
	void changedAttributesOfAModifyAreTheAddedRemovedAndChangedOnes() {
		Map<String, AttributeValue> before = new HashMap<>(review("r1", 5, "great"));
		before.put("draft", AttributeValue.fromBool(true));
		Map<String, AttributeValue> after = new HashMap<>(review("r1", 4, "great"));
		after.put("editedBy", s("bob"));

		ItemChange<Review> change = change(record(OperationType.MODIFY, "100", before, after));

		assertThat(change.changedAttributes()).containsExactlyInAnyOrder("rating", "editedBy", "draft");
	}

	@Test
	void changedAttributesOfAnUnchangedModifyAreEmpty() {
		ItemChange<Review> change = change(
				record(OperationType.MODIFY, "100", review("r1", 5, "great"), review("r1", 5, "great")));

		assertThat(change.changedAttributes()).isEmpty();
	}

	@Test
	void changedAttributesOfAnInsertAreAllOfTheNewImage() {
		ItemChange<Review> change = change(record(OperationType.INSERT, "100", null, review("r1", 5, "great")));

		assertThat(change.changedAttributes()).containsExactlyInAnyOrder("id", "rating", "text");
	}

	@Test
	void changedAttributesOfARemoveAreAllOfTheOldImage() {
		ItemChange<Review> change = change(record(OperationType.REMOVE, "100", review("r1", 5, "great"), null));

		assertThat(change.changedAttributes()).containsExactlyInAnyOrder("id", "rating", "text");
	}

	@Test
	void changedAttributesOfAModifyWithoutOldImageCannotBeKnown() {
		ItemChange<Review> change = change(record(OperationType.MODIFY, "100", null, review("r1", 5, "great")));

		assertThatIllegalStateException().isThrownBy(change::changedAttributes)
			.withMessageContaining("needs the old and the new image")
			.withMessageContaining("NEW_AND_OLD_IMAGES");
	}

	@Test
	void keysMapToAKeyClass() {
		ItemChange<Review> change = change(record(OperationType.INSERT, "100", null, review("r7", 5, "great")));

		assertThat(change.keys(ReviewKey.class).getId()).isEqualTo("r7");
	}

	@Test
	void keysMapToTheItemClassWithOnlyTheKeysSet() {
		ItemChange<Review> change = change(record(OperationType.INSERT, "100", null, review("r7", 5, "great")));

		Review keys = change.keys(Review.class);

		assertThat(keys.getId()).isEqualTo("r7");
		assertThat(keys.getRating()).isNull();
	}

	@Test
	void mapperOfAClassIsBuiltOnceAndShared() {
		assertThat(ItemMapper.of(ReviewKey.class)).isSameAs(ItemMapper.of(ReviewKey.class));
	}

	private static ItemChange<Review> change(Record record) {
		return ItemMapper.of(Review.class).toItemChange(record);
	}

}
