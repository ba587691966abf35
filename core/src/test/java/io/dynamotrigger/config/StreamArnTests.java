package io.dynamotrigger.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StreamArnTests {

	@Test
	void tableNameIsThePartBetweenTableAndStream() {
		assertThat(StreamArn.parse("arn:aws:dynamodb:eu-west-1:123456789012:table/Orders-prod/stream/2025-07-01T09:00:00.000")
			.tableName()).isEqualTo("Orders-prod");
	}

	@Test
	void labelIsThePartAfterStream() {
		String arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/Reviews/stream/2024-05-01T10:15:30.123";

		assertThat(StreamArn.parse(arn).label()).isEqualTo("2024-05-01T10:15:30.123");
	}

	@Test
	void arnOfAnotherPartitionIsRead() {
		StreamArn arn = StreamArn.parse("arn:aws-cn:dynamodb:cn-north-1:123456789012:table/Reviews/stream/2024-05-01T10:15:30.123");

		assertThat(arn.tableName()).isEqualTo("Reviews");
		assertThat(arn.label()).isEqualTo("2024-05-01T10:15:30.123");
	}

	@Test
	void stringFormIsTheWholeArn() {
		String arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/Reviews/stream/2024-05-01T10:15:30.123";

		assertThat(StreamArn.parse(arn)).hasToString(arn);
		assertThat(StreamArn.parse(arn).value()).isEqualTo(arn);
	}

	@Test
	void arnOfAnotherServiceIsRejectedNamingTheArnAndTheFormat() {
		assertThatIllegalArgumentException().isThrownBy(() -> StreamArn.parse("arn:aws:sqs:queue"))
			.withMessage("Not a DynamoDB stream ARN: 'arn:aws:sqs:queue'; a stream's ARN reads"
					+ " arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>");
	}

	@Test
	void tableArnWithoutStreamIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> StreamArn.parse("arn:aws:dynamodb:eu-west-1:123456789012:table/Reviews"))
			.withMessageContaining("Not a DynamoDB stream ARN");
	}

	@Test
	void arnWithoutTableNameIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> StreamArn.parse("arn:aws:dynamodb:eu-west-1:123456789012:table//stream/2024"))
			.withMessageContaining("Not a DynamoDB stream ARN");
	}

	@Test
	void missingArnIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> StreamArn.parse(null))
			.withMessageContaining("Not a DynamoDB stream ARN: 'null'");
	}

}
