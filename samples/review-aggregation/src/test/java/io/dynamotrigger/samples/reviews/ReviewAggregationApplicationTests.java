package io.dynamotrigger.samples.reviews;

import java.util.List;

import io.dynamotrigger.test.LocalDynamoDbTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the sample as the README's command does (once for all tests here) and checks that it verifies its
 * summaries, and what it logs from start to stop.
 */
@LocalDynamoDbTest
@ExtendWith(OutputCaptureExtension.class)
class ReviewAggregationApplicationTests {

	private static int exitCode;

	private static String output;

	@BeforeAll
	static void runSample(CapturedOutput captured) {
		exitCode = SpringApplication.exit(SpringApplication.run(ReviewAggregationApplication.class));
		output = captured.getAll();
	}

	@Test
	void sampleKeepsEverySummaryExactAndExitsWithZero() {
		assertThat(exitCode).isZero();
		assertThat(output).contains("VERIFIED: every ProductSummary matches a recomputation from the Reviews table.")
			.contains("REMOVE of review review-02: product-3 now has 9 reviews")
			.contains("MODIFY of review review-19: rating unchanged, summary stays");
	}

	@Test
	void startAndStopLogNoWarningOrError() {
		assertThat(output.lines()).noneMatch((line) -> line.matches("^\\S+\\s+(WARN|ERROR) .*"));
	}

	@Test
	void startAndStopLogWhatRunsOncePerTriggerLeaseAndStop() {
		List<String> framework = output.lines()
			.filter((line) -> line.matches(".* i\\.(dynamotrigger|d)\\.listener\\.\\S+ +: .*"))
			.toList();

		assertThat(framework).hasSize(3);
		assertThat(framework.get(0)).contains("Trigger 'reviewSummaryTrigger.onReview' on table Reviews");
		assertThat(framework.get(1)).contains("Took the lease of table Reviews shard ");
		assertThat(framework.get(2)).contains("Stopped reading table Reviews");
	}

}
