package io.dynamotrigger.filter;

import java.util.List;
import java.util.Map;

import io.dynamotrigger.StreamRecords;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;

import static io.dynamotrigger.StreamRecords.n;
import static io.dynamotrigger.StreamRecords.record;
import static io.dynamotrigger.StreamRecords.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EventPatternTests {

	private static final Record ACTIVE_FIVE = insert(
			Map.of("id", s("r1"), "status", s("ACTIVE"), "rating", n("5"), "tags", AttributeValue.fromSs(
					List.of("red", "blue")), "verified", AttributeValue.fromBool(true), "author",
					AttributeValue.fromM(Map.of("name", s("Alice"))), "deleted", AttributeValue.fromNul(true)));

	@Test
	void eventNameMatchesAnyListedValue() {
		EventPattern pattern = EventPattern.parse("{\"eventName\": [\"INSERT\", \"MODIFY\"]}");

		assertThat(pattern.test(ACTIVE_FIVE)).isTrue();
		assertThat(pattern.test(record(OperationType.REMOVE, "1", Map.of("id", s("r1")), null))).isFalse();
	}

	@Test
	void stringAttributeEquals() {
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [\"ACTIVE\"]}}}}", true);
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [\"active\"]}}}}", false);
	}

	@Test
	void prefixSuffixAndEqualsIgnoreCaseMatchStrings() {
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [{\"prefix\": \"ACT\"}]}}}}", true);
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [{\"prefix\": \"IN\"}]}}}}", false);
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [{\"suffix\": \"IVE\"}]}}}}", true);
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [{\"equals-ignore-case\": \"active\"}]}}}}",
				true);
	}

	@Test
	void anythingButExcludesValuesAndPrefixes() {
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [{\"anything-but\": [\"DELETED\", \"BANNED\"]}]}}}}",
				true);
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [{\"anything-but\": \"ACTIVE\"}]}}}}", false);
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [{\"anything-but\": {\"prefix\": \"AC\"}}]}}}}",
				false);
	}

	@Test
	void anythingButDoesNotMatchAnAbsentAttribute() {
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"missing\": {\"S\": [{\"anything-but\": \"x\"}]}}}}", false);
	}

	@Test
	void existsTellsWhetherTheAttributeHasThatType() {
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [{\"exists\": true}]}}}}", true);
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"missing\": {\"S\": [{\"exists\": false}]}}}}", true);
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [{\"exists\": false}]}}}}", false);
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"status\": {\"N\": [{\"exists\": true}]}}}}", false);
	}

	@Test
	void numericRangesCompareNumberAttributes() {
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"rating\": {\"N\": [{\"numeric\": [\">\", 4]}]}}}}", true);
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"rating\": {\"N\": [{\"numeric\": [\">=\", 1, \"<\", 5]}]}}}}",
				false);
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"rating\": {\"N\": [{\"numeric\": [\"=\", 5.0]}]}}}}", true);
	}

	@Test
	void numberEqualityIsNumeric() {
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"rating\": {\"N\": [\"5.0\"]}}}}", true);
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"rating\": {\"N\": [5]}}}}", true);
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"rating\": {\"N\": [4]}}}}", false);
	}

	@Test
	void setMatchesWhenOneElementMatches() {
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"tags\": {\"SS\": [\"blue\"]}}}}", true);
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"tags\": {\"SS\": [\"green\"]}}}}", false);
	}

	@Test
	void booleanNullAndMapAttributesMatch() {
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"verified\": {\"BOOL\": [true]}}}}", true);
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"deleted\": {\"NULL\": [true]}}}}", true);
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"author\": {\"M\": {\"name\": {\"S\": [\"Alice\"]}}}}}}", true);
		assertMatches("{\"dynamodb\": {\"NewImage\": {\"author\": {\"M\": {\"name\": {\"S\": [\"Bob\"]}}}}}}", false);
	}

	@Test
	void keysAndOldImageAreMatchedLikeTheNewImage() {
		Record modify = record(OperationType.MODIFY, "1", Map.of("id", s("r1"), "status", s("DRAFT")),
				Map.of("id", s("r1"), "status", s("ACTIVE")));

		assertThat(EventPattern.parse("{\"dynamodb\": {\"Keys\": {\"id\": {\"S\": [\"r1\"]}},"
				+ " \"OldImage\": {\"status\": {\"S\": [\"DRAFT\"]}}}}").test(modify)).isTrue();
		assertThat(EventPattern.parse("{\"dynamodb\": {\"OldImage\": {\"status\": {\"S\": [\"ACTIVE\"]}}}}")
			.test(modify)).isFalse();
	}

	@Test
	void allFieldsMustMatch() {
		assertMatches("{\"eventName\": [\"INSERT\"], \"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [\"ACTIVE\"]},"
				+ " \"rating\": {\"N\": [{\"numeric\": [\"<\", 3]}]}}}}", false);
	}

	@Test
	void userIdentityFindsTtlExpiries() {
		EventPattern pattern = EventPattern
			.parse("{\"userIdentity\": {\"type\": [\"Service\"], \"principalId\": [\"dynamodb.amazonaws.com\"]}}");

		assertThat(pattern.test(StreamRecords.ttlExpiry(Map.of("id", s("r1"))))).isTrue();
		assertThat(pattern.test(ACTIVE_FIVE)).isFalse();
	}

	@Test
	void patternTellsWhichImagesItReads() {
		EventPattern pattern = EventPattern.parse("{\"dynamodb\": {\"NewImage\": {\"a\": {\"S\": [\"x\"]}}}}");

		assertThat(pattern.readsNewImage()).isTrue();
		assertThat(pattern.readsOldImage()).isFalse();
	}

	@Test
	void invalidJsonIsRejectedWithItsPosition() {
		assertThatIllegalArgumentException().isThrownBy(() -> EventPattern.parse("{\"eventName\": [\"INSERT\"}"))
			.withMessageStartingWith("not valid JSON at line 1, column ");
	}

	@Test
	void unknownFieldIsRejectedWithItsPath() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EventPattern.parse("{\"dynamodb\": {\"NewImages\": {}}}"))
			.withMessageStartingWith("at dynamodb.NewImages: unknown field");
	}

	@Test
	void unknownOperatorIsRejectedWithItsPath() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EventPattern
				.parse("{\"dynamodb\": {\"NewImage\": {\"rating\": {\"N\": [{\"greater\": 3}]}}}}"))
			.withMessageStartingWith("at dynamodb.NewImage.rating.N[0].greater: unknown operator");
	}

	@Test
	void numericOnAStringIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EventPattern
				.parse("{\"dynamodb\": {\"NewImage\": {\"status\": {\"S\": [{\"numeric\": [\">\", 3]}]}}}}"))
			.withMessageContaining("numeric applies to numbers");
	}

	@Test
	void numericWithAWrongOperatorIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EventPattern
				.parse("{\"dynamodb\": {\"NewImage\": {\"rating\": {\"N\": [{\"numeric\": [\"<\", 1, \">\", 5]}]}}}}"))
			.withMessageStartingWith("at dynamodb.NewImage.rating.N[0].numeric[0]: expected one of [>, >=]");
	}

	@Test
	void prefixOnANumberIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EventPattern
				.parse("{\"dynamodb\": {\"NewImage\": {\"rating\": {\"N\": [{\"prefix\": \"1\"}]}}}}"))
			.withMessageContaining("prefix applies to strings only");
	}

	@Test
	void numberForAStringAttributeIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EventPattern.parse("{\"dynamodb\": {\"NewImage\": {\"zip\": {\"S\": [12345]}}}}"))
			.withMessageContaining("write \"5\", not 5");
	}

	@Test
	void leafThatIsNoArrayIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> EventPattern.parse("{\"eventName\": \"INSERT\"}"))
			.withMessageStartingWith("at eventName: expected an array");
	}

	@Test
	void attributeWithoutTypeIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EventPattern.parse("{\"dynamodb\": {\"NewImage\": {\"status\": [\"ACTIVE\"]}}}"))
			.withMessageContaining("an attribute is matched by its type");
	}

	@Test
	void listAttributesAreNotSupported() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EventPattern.parse("{\"dynamodb\": {\"NewImage\": {\"items\": {\"L\": [\"x\"]}}}}"))
			.withMessageContaining("matching L values is not supported");
	}

	@Test
	void emptyPatternIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> EventPattern.parse("{}"))
			.withMessageContaining("an empty object");
	}

	@Test
	void duplicateFieldIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EventPattern.parse("{\"eventName\": [\"INSERT\"], \"eventName\": [\"REMOVE\"]}"))
			.withMessageContaining("Duplicate field 'eventName'");
	}

	private static void assertMatches(String pattern, boolean expected) {
		assertThat(EventPattern.parse(pattern).test(ACTIVE_FIVE)).as(pattern).isEqualTo(expected);
	}

	private static Record insert(Map<String, AttributeValue> image) {
		return record(OperationType.INSERT, "1", null, image);
	}

}
