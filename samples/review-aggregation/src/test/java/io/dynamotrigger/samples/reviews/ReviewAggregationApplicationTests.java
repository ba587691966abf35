package io.dynamotrigger.samples.reviews;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * summaries (the reviews written before the start among them, counted once by the backfill), and what it logs
 * from start to stop.
 */
@LocalDynamoDbTest
@ExtendWith(OutputCaptureExtension.class)
class ReviewAggregationApplicationTests {

	private static final Pattern COUNTED = Pattern.compile("((?:Backfill|INSERT|MODIFY) of review existing-\\d+): product-\\d now has");

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
	void reviewsWrittenBeforeTheStartAreCountedExactlyOnceByTheBackfill() {
		List<String> counted = output.lines()
			.map(COUNTED::matcher)
			.filter(Matcher::find)
			.map((counting) -> counting.group(1))
			.toList();

		assertThat(output).contains("Backfill of trigger 'reviewSummaryTrigger.onReview' (table Reviews) is done");
		assertThat(counted).as("existing reviews counted, each by the first change that counts it")
			.hasSize(ExistingReviews.COUNT)
			.doesNotHaveDuplicates()
			.allMatch((line) -> line.startsWith("Backfill "));
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

		assertThat(framework).hasSize(4);
		assertThat(framework.get(0)).contains("Trigger 'reviewSummaryTrigger.onReview' on table Reviews");
		assertThat(framework.get(1))
			.contains("Reading the streams of tables [Reviews] with one KCL application, lease table review-aggregation");
		assertThat(framework.get(2)).contains("Took the lease of table Reviews shard ");
		assertThat(framework.get(3)).contains("Stopped the shared KCL application review-aggregation in ");
	}

}
