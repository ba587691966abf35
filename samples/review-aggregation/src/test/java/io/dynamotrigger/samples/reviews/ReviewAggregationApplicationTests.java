package io.dynamotrigger.samples.reviews;

import io.dynamotrigger.test.LocalDynamoDbTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the sample as the README's command does and checks that it verifies its summaries.
 */
@LocalDynamoDbTest
@ExtendWith(OutputCaptureExtension.class)
class ReviewAggregationApplicationTests {

	@Test
	void sampleKeepsEverySummaryExactAndExitsWithZero(CapturedOutput output) {
		ConfigurableApplicationContext context = SpringApplication.run(ReviewAggregationApplication.class);

		assertThat(SpringApplication.exit(context)).isZero();
		assertThat(output).contains("VERIFIED: every ProductSummary matches a recomputation from the Reviews table.")
			.contains("REMOVE of review review-02: product-3 now has 9 reviews")
			.contains("MODIFY of review review-19: rating unchanged, summary stays");
	}

}
