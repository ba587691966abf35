package io.dynamotrigger.mapping;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Java records are mapped by their components, with the SDK's converters.
 */
class RecordMappingTests {

	@Test
	void mapsAnImageToARecordComponentByComponent() {
		Map<String, AttributeValue> image = Map.of("productId", AttributeValue.fromS("p1"), "rating",
				AttributeValue.fromN("4"), "votes", AttributeValue.fromN("12"), "tags",
				AttributeValue.fromSs(List.of("new", "hot")), "lines",
				AttributeValue.fromL(List.of(AttributeValue.fromS("a"), AttributeValue.fromS("b"))), "at",
				AttributeValue.fromS("2026-12-03T10:15:30Z"), "review_text", AttributeValue.fromS("fine"), "author",
				AttributeValue.fromM(Map.of("name", AttributeValue.fromS("Ann"), "verified", AttributeValue.fromBool(true))));

		Rated rated = ItemMapper.of(Rated.class).map(image);

		assertThat(rated).isEqualTo(new Rated("p1", 4, 12L, Set.of("new", "hot"), List.of("a", "b"),
				Instant.parse("2026-12-03T10:15:30Z"), "fine", new Author("Ann", true)));
	}

	@Test
	void missingAttributesLeaveComponentsNullOrZero() {
		Rated rated = ItemMapper.of(Rated.class).map(Map.of("productId", AttributeValue.fromS("p1")));

		assertThat(rated).isEqualTo(new Rated("p1", 0, null, null, null, null, null, null));
	}

	@Test
	void anAttributeOfAnotherTypeFailsTheMappingNamingTheAttribute() {
		ItemMapper<Rated> mapper = ItemMapper.of(Rated.class);

		assertThatExceptionOfType(RecordMappingException.class)
			.isThrownBy(() -> mapper.map(Map.of("productId", AttributeValue.fromS("p1"), "rating",
					AttributeValue.fromS("four"))))
			.withMessageContaining("attribute 'rating' (of type S) does not fit");
	}

	@Test
	void aComponentOfATypeTheSdkCannotConvertFailsNamingTheRecord() {
		assertThatIllegalArgumentException().isThrownBy(() -> ItemMapper.of(Unmappable.class))
			.withMessageContaining("Cannot map stream images to " + Unmappable.class.getName())
			.withMessageContaining("or make it a Java record of types the SDK converts");
	}

	record Rated(String productId, int rating, Long votes, Set<String> tags, List<String> lines, Instant at,
			@DynamoDbAttribute("review_text") String text, Author author) {
	}

	record Author(String name, boolean verified) {
	}

	record Unmappable(String id, Thread thread) {
	}

}
