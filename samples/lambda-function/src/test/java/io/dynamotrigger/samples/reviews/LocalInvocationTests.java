package io.dynamotrigger.samples.reviews;

import java.io.IOException;
import java.nio.file.Path;

import io.dynamotrigger.test.LocalDynamoDbTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the local invocation as the sample's command does.
 */
@LocalDynamoDbTest
@ExtendWith(OutputCaptureExtension.class)
class LocalInvocationTests {

	@Test
	void functionKeepsSummariesExactAndARetriedDeliveryChangesNothing(CapturedOutput output) throws IOException {
		int exitCode = LocalInvocation.run(Path.of("events/reviews.json"));

		assertThat(exitCode).isZero();
		assertThat(output.getAll()).contains("VERIFIED: the function kept every ProductSummary exact")
			.contains("Record 4421584500000000017450439006 was applied already (delivered again)")
			.doesNotContain("KCL")
			.doesNotContain("Took the lease");
	}

}
