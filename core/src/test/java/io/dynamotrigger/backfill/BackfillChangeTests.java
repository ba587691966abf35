package io.dynamotrigger.backfill;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.ViewType;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;

import static org.assertj.core.api.Assertions.assertThat;

class BackfillChangeTests {

	private static final Instant READ_AT = Instant.parse("2026-12-03T21:00:00Z");

	private static final Map<String, AttributeValue> ITEM = Map.of("productId", AttributeValue.fromS("p1"),
			"reviewId", AttributeValue.fromS("r1"), "rating", AttributeValue.fromN("4"));

	@Test
	void aScannedItemIsAnInsertWithTheItemAsItsNewImageMarkedAsABackfill() {
		Record record = new BackfillChange(List.of("productId", "reviewId"), ViewType.NEW_AND_OLD_IMAGES, 1000)
			.of(ITEM, 2, 7, READ_AT);
		ItemChange<Map<String, AttributeValue>> change = new ItemChange<>(record, null, record.dynamodb().newImage());

		assertThat(change.isBackfill()).isTrue();
		assertThat(change.eventType()).isEqualTo(EventType.INSERT);
		assertThat(change.keys()).containsOnlyKeys("productId", "reviewId");
		assertThat(record.dynamodb().newImage()).isEqualTo(ITEM);
		assertThat(record.dynamodb().hasOldImage()).isFalse();
		assertThat(change.sequenceNumber()).isEqualTo("1000-2-7");
		assertThat(change.approximateCreationTime()).isEqualTo(READ_AT);
		assertThat(change.changedAttributes()).containsExactlyInAnyOrder("productId", "reviewId", "rating");
	}

	@Test
	void aViewTypeWithoutNewImagesGetsTheKeysAloneAsAStreamInsertWould() {
		for (ViewType viewType : List.of(ViewType.KEYS_ONLY, ViewType.OLD_IMAGE)) {
			Record record = new BackfillChange(List.of("productId", "reviewId"), viewType, 1000).of(ITEM, 0, 0, READ_AT);

			assertThat(record.dynamodb().hasNewImage()).as("new image of %s", viewType).isFalse();
			assertThat(record.dynamodb().keys()).containsOnlyKeys("productId", "reviewId");
			assertThat(record.dynamodb().streamViewTypeAsString()).isEqualTo(viewType.name());
		}
	}

	@Test
	void aStreamRecordIsNoBackfill() {
		Record record = Record.builder()
			.eventName("INSERT")
			.eventSource("aws:dynamodb")
			.dynamodb((change) -> change.keys(Map.of("productId", AttributeValue.fromS("p1"))).sequenceNumber("1"))
			.build();

		assertThat(new ItemChange<>(record, null, null).isBackfill()).isFalse();
	}

}
