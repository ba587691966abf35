package io.dynamotrigger.samples.feed;

import io.dynamotrigger.test.LocalDynamoDbTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the sample as its command does and checks that it verifies its feed and its per-window order totals
 * and prints its report.
 */
@LocalDynamoDbTest
@ExtendWith(OutputCaptureExtension.class)
class AnalyticsFeedApplicationTests {

	@Test
	void sampleFeedsEveryOrderChangeInOrderAndReports(CapturedOutput output) {
		// 10-second windows instead of a minute, so that the last one closes sooner.
		int exitCode = SpringApplication
			.exit(SpringApplication.run(AnalyticsFeedApplication.class, "--analytics-feed.window=10s"));

		assertThat(exitCode).isZero();
		assertThat(output.getAll()).contains("VERIFIED: 19 changes in the feed")
			.contains("Changes by type: {INSERT=8, MODIFY=9, REMOVE=2}")
			.containsPattern("orders-\\d{4}-\\d{2}-\\d{2}T\\d{2}\\.jsonl")
			.contains("VERIFIED: orders placed per PT10S window")
			.containsPattern("order\\(s\\) placed, total \\d+");
	}

}
