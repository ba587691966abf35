package io.dynamotrigger.filter;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.OperationType;

import static io.dynamotrigger.StreamRecords.record;
import static io.dynamotrigger.StreamRecords.review;
import static io.dynamotrigger.StreamRecords.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ChangedAttributesFilterTests {

	private final ChangedAttributesFilter ratingOrStatus = new ChangedAttributesFilter(Set.of("rating", "status"));

	@Test
	void modifyThatChangesAListedAttributeIsAccepted() {
		assertThat(this.ratingOrStatus.test(record(OperationType.MODIFY, "1", review("r1", 5, "a"),
				review("r1", 4, "a")))).isTrue();
	}

	@Test
	void modifyThatChangesOnlyOtherAttributesIsRejected() {
		assertThat(this.ratingOrStatus.test(record(OperationType.MODIFY, "1", review("r1", 5, "a"),
				review("r1", 5, "b")))).isFalse();
	}

	@Test
	void modifyThatRemovesAListedAttributeIsAccepted() {
		assertThat(new ChangedAttributesFilter(Set.of("text")).test(record(OperationType.MODIFY, "1",
				review("r1", 5, "a"), Map.of("id", s("r1"))))).isTrue();
	}

	@Test
	void insertCarryingAListedAttributeIsAccepted() {
		assertThat(this.ratingOrStatus.test(record(OperationType.INSERT, "1", null, review("r1", 5, "a")))).isTrue();
	}

	@Test
	void removeWithoutAListedAttributeIsRejected() {
		assertThat(new ChangedAttributesFilter(Set.of("status"))
			.test(record(OperationType.REMOVE, "1", review("r1", 5, "a"), null))).isFalse();
	}

	@Test
	void modifyWithoutOldImageIsRejected() {
		assertThat(this.ratingOrStatus.test(record(OperationType.MODIFY, "1", null, review("r1", 4, "a")))).isFalse();
	}

	@Test
	void blankAttributeNameIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ChangedAttributesFilter(Set.of(" ")));
	}

}
