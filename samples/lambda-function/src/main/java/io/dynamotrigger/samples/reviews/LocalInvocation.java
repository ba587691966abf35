package io.dynamotrigger.samples.reviews;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.dynamotrigger.samples.support.LocalEndpointStarter;
import org.springframework.boot.SpringApplication;

/**
 * Invokes the function locally, as Lambda would: the handler starts once, then gets the sample event
 * ({@code events/reviews.json}, the shape Lambda sends) twice, the second time as a retried delivery.
 * Checks the product summaries after each (the retry must change nothing) and exits 0 when they match.
 */
public final class LocalInvocation {

	private static final Map<String, String> EXPECTED = new TreeMap<>(
			Map.of("p1", "2 reviews, average 3.00", "p2", "1 reviews, average 4.00"));

	private LocalInvocation() {
	}

	public static void main(String[] args) throws IOException {
		System.exit(run(Path.of(args.length > 0 ? args[0] : "events/reviews.json")));
	}

	static int run(Path eventFile) throws IOException {
		SpringApplication application = new SpringApplication(ReviewsLambdaApplication.class);
		application.addListeners(new LocalEndpointStarter());
		application.setDefaultProperties(Map.of("spring.main.banner-mode", "off"));
		try (ReviewsFunction function = new ReviewsFunction(application)) {
			ReviewTables tables = function.getApplicationContext().getBean(ReviewTables.class).createIfAbsent();
			DynamodbEvent event = read(eventFile);
			StreamsEventResponse first = function.handleRequest(event, null);
			Map<String, String> afterFirst = summaries(tables);
			StreamsEventResponse retried = function.handleRequest(read(eventFile), null);
			Map<String, String> afterRetry = summaries(tables);

			System.out.println();
			System.out.println("Invoked with " + event.getRecords().size() + " records: batch item failures "
					+ first.getBatchItemFailures() + "; again (a retried delivery): " + retried.getBatchItemFailures());
			afterRetry.forEach((product, summary) -> System.out.println("  " + product + ": " + summary));
			System.out.println();
			if (first.getBatchItemFailures().isEmpty() && afterFirst.equals(EXPECTED) && afterRetry.equals(EXPECTED)) {
				System.out.println("VERIFIED: the function kept every ProductSummary exact, and the retried delivery"
						+ " changed nothing.");
				return 0;
			}
			System.out.println("MISMATCH: expected " + EXPECTED + ", after the first invocation " + afterFirst
					+ ", after the retry " + afterRetry);
			return 1;
		}
	}

	private static DynamodbEvent read(Path eventFile) throws IOException {
		try (InputStream in = Files.newInputStream(eventFile)) {
			return LambdaEventSerializers.serializerFor(DynamodbEvent.class, LocalInvocation.class.getClassLoader())
				.fromJson(in);
		}
	}

	private static Map<String, String> summaries(ReviewTables tables) {
		Map<String, String> summaries = new TreeMap<>();
		tables.summaries.scan()
			.items()
			.forEach((summary) -> summaries.put(summary.getProductId(), summary.getReviewCount() + " reviews, average "
					+ String.format("%.2f", summary.getAverageRating())));
		return summaries;
	}

}
