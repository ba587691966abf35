package io.dynamotrigger.samples.feed;

import io.dynamotrigger.test.LocalDynamoDbTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the sample as its command does and checks that it verifies its feed and prints its report.
 */
@LocalDynamoDbTest
@ExtendWith(OutputCaptureExtension.class)
class AnalyticsFeedApplicationTests {

	@Test
	void sampleFeedsEveryOrderChangeInOrderAndReports(CapturedOutput output) {
		int exitCode = SpringApplication.exit(SpringApplication.run(AnalyticsFeedApplication.class));

		assertThat(exitCode).isZero();
		assertThat(output.getAll()).contains("VERIFIED: 19 changes in the feed")
			.contains("Changes by type: {INSERT=8, MODIFY=9, REMOVE=2}")
			.containsPattern("orders-\\d{4}-\\d{2}-\\d{2}T\\d{2}\\.jsonl");
	}

}
