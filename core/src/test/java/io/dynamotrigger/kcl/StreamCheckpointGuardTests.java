package io.dynamotrigger.kcl;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StreamCheckpointGuardTests {

	@Test
	void streamLabelIsThePartOfTheStreamArnAfterStream() {
		String arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/Reviews/stream/2024-05-01T10:15:30.123";

		assertThat(StreamCheckpointGuard.streamLabel(arn)).isEqualTo("2024-05-01T10:15:30.123");
	}

}
