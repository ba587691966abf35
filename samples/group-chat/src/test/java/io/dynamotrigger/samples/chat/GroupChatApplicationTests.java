package io.dynamotrigger.samples.chat;

import io.dynamotrigger.test.LocalDynamoDbTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the sample as its command does and checks that it verifies its notifications and dead letter.
 */
@LocalDynamoDbTest
@ExtendWith(OutputCaptureExtension.class)
class GroupChatApplicationTests {

	@Test
	void sampleNotifiesOtherMembersOfNewMessagesOnlyAndDeadLettersTheMessageToAnEmptyRoom(CapturedOutput output) {
		int exitCode = SpringApplication.exit(SpringApplication.run(GroupChatApplication.class));

		assertThat(exitCode).isZero();
		assertThat(output.getAll()).contains("VERIFIED: 10 notifications, each sent once")
			.contains("Notified carol of alice's message in general: Hi all")
			.contains("Dead-lettered record")
			.doesNotContain("message in general: Hi all (edited)");
	}

}
