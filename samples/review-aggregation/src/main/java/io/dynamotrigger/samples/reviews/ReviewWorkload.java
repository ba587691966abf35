package io.dynamotrigger.samples.reviews;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import software.amazon.awssdk.enhanced.dynamodb.Key;

/**
 * Runs once the triggers are started: writes reviews, edits and deletes some, waits until the trigger
 * has brought every summary up to date, checks the summaries against a recomputation from the
 * {@code Reviews} table, and prints them. The exit code says whether they matched.
 */
class ReviewWorkload implements ApplicationRunner, ExitCodeGenerator {

	private static final Logger log = LoggerFactory.getLogger(ReviewWorkload.class);

	private static final Duration CONVERGENCE_TIMEOUT = Duration.ofSeconds(90);

	private final ReviewTables tables;

	private final ReviewSummaryTrigger trigger;

	private int exitCode = 1;

	ReviewWorkload(ReviewTables tables, ReviewSummaryTrigger trigger) {
		this.tables = tables;
		this.trigger = trigger;
	}

	@Override
	public void run(ApplicationArguments args) throws InterruptedException {
		int writes = write();
		log.info("Wrote {} changes to Reviews; waiting for the trigger to catch up", writes);
		Map<String, long[]> expected = recompute();
		long deadline = System.nanoTime() + CONVERGENCE_TIMEOUT.toNanos();
		List<String> mismatches = compare(expected);
		while (!mismatches.isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(200);
			mismatches = compare(expected);
		}
		print(expected);
		long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
		System.out.printf("First trigger call %d ms after the JVM started (local endpoint start included)%n",
				this.trigger.firstCallMillis() - jvmStart);
		if (mismatches.isEmpty()) {
			System.out.println("VERIFIED: every ProductSummary matches a recomputation from the Reviews table.");
			this.exitCode = 0;
		}
		else {
			System.out.println("MISMATCH after " + CONVERGENCE_TIMEOUT.toSeconds() + " s: " + mismatches);
		}
	}

	private int write() {
		Random random = new Random(7);
		List<Review> written = new ArrayList<>();
		for (int i = 1; i <= 40; i++) {
			Review review = new Review("product-" + (i % 4 + 1), "review-%02d".formatted(i), 1 + random.nextInt(5),
					"Review number " + i);
			this.tables.reviews.putItem(review);
			written.add(review);
		}
		for (int i = 0; i < 10; i++) {
			Review review = written.get(i * 3);
			if (i < 6) {
				review.setRating(1 + (review.getRating() % 5));
			}
			review.setText(review.getText() + " (edited)");
			this.tables.reviews.putItem(review);
		}
		for (int i = 0; i < 8; i++) {
			Review review = written.get(i * 5 + 1);
			this.tables.reviews.deleteItem(review);
		}
		return 40 + 10 + 8;
	}

	private Map<String, long[]> recompute() {
		Map<String, long[]> totals = new TreeMap<>();
		this.tables.reviews.scan().items().forEach((review) -> {
			long[] total = totals.computeIfAbsent(review.getProductId(), (id) -> new long[2]);
			total[0]++;
			total[1] += review.getRating();
		});
		return totals;
	}

	private List<String> compare(Map<String, long[]> expected) {
		List<String> mismatches = new ArrayList<>();
		for (String productId : products(expected)) {
			long[] want = expected.getOrDefault(productId, new long[2]);
			ProductSummary summary = summary(productId);
			long count = (summary != null) ? summary.getReviewCount() : 0;
			long sum = (summary != null) ? summary.getRatingSum() : 0;
			if (count != want[0] || sum != want[1]) {
				mismatches.add("%s: summary %d reviews / sum %d, recomputed %d / %d".formatted(productId, count, sum,
						want[0], want[1]));
			}
		}
		return mismatches;
	}

	private TreeSet<String> products(Map<String, long[]> expected) {
		TreeSet<String> products = new TreeSet<>(expected.keySet());
		this.tables.summaries.scan().items().forEach((summary) -> products.add(summary.getProductId()));
		return products;
	}

	private ProductSummary summary(String productId) {
		return this.tables.summaries
			.getItem((get) -> get.key(Key.builder().partitionValue(productId).build()).consistentRead(true));
	}

	private void print(Map<String, long[]> expected) {
		System.out.println();
		System.out.println("product     reviews  average   (recomputed: reviews  average)");
		for (String productId : products(expected)) {
			ProductSummary summary = summary(productId);
			long[] want = expected.getOrDefault(productId, new long[2]);
			System.out.printf("%-11s %7d  %7.2f   (            %7d  %7.2f)%n", productId,
					(summary != null) ? summary.getReviewCount() : 0,
					(summary != null) ? summary.getAverageRating() : 0.0, want[0],
					(want[0] == 0) ? 0.0 : (double) want[1] / want[0]);
		}
		System.out.println();
	}

	@Override
	public int getExitCode() {
		return this.exitCode;
	}

}
