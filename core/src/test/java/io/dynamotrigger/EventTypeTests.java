package io.dynamotrigger;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.OperationType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EventTypeTests {

	@Test
	void insertOperationIsAnInsert() {
		assertThat(EventType.of(OperationType.INSERT)).isEqualTo(EventType.INSERT);
	}

	@Test
	void modifyOperationIsAModify() {
		assertThat(EventType.of(OperationType.MODIFY)).isEqualTo(EventType.MODIFY);
	}

	@Test
	void removeOperationIsARemove() {
		assertThat(EventType.of(OperationType.REMOVE)).isEqualTo(EventType.REMOVE);
	}

	@Test
	void operationUnknownToTheSdkIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> EventType.of(OperationType.UNKNOWN_TO_SDK_VERSION))
			.withMessageContaining("Unknown stream operation");
	}

}
