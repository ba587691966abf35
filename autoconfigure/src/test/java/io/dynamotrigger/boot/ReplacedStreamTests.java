package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbTest;
import io.dynamotrigger.test.LocalDynamoDbTest.Topology;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A table whose stream is replaced while the application is stopped, with changes in the old stream that
 * were not read yet: the old stream stays readable (until its records expire) and is read to its end
 * before the new one. Shards close every 8 records, so that the old stream has closed shards and children.
 */
@LocalDynamoDbTest(topology = @Topology(shards = 2, rollOverAfterRecords = 8))
@ExtendWith(OutputCaptureExtension.class)
class ReplacedStreamTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private ReviewsTable table;

	private ApplicationContextRunner runner;

	@BeforeEach
	void createTable(LocalDynamoDb local) {
		this.table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		this.runner = TestContexts.runner(this.table).withUserConfiguration(ReviewTrigger.class);
	}

	@Test
	void streamDisabledAndEnabledAgainIsReadToItsEndBeforeTheNewStream(CapturedOutput output) {
		readSomeThenStop();
		IntStream.range(0, 20).forEach((i) -> this.table.put("p" + i % 5, "old-" + i, 1, "x"));
		enableStream(false);
		enableStream(true);
		IntStream.range(0, 5).forEach((i) -> this.table.put("p" + i, "new-" + i, 1, "x"));

		List<String> received = readAgain();

		assertThat(received).containsExactlyInAnyOrderElementsOf(expected());
		assertThat(received.subList(0, 20)).allMatch((id) -> id.startsWith("old-"));
		assertThat(output).contains("reading the old stream to its end first, then the new one");
	}

	@Test
	void recreatedTablesOldStreamIsReadToItsEndBeforeTheNewStream() {
		readSomeThenStop();
		IntStream.range(0, 20).forEach((i) -> this.table.put("p" + i % 5, "old-" + i, 1, "x"));
		this.table.delete();
		this.table.create(StreamViewType.NEW_AND_OLD_IMAGES);
		IntStream.range(0, 5).forEach((i) -> this.table.put("p" + i, "new-" + i, 1, "x"));

		List<String> received = readAgain();

		assertThat(received).containsExactlyInAnyOrderElementsOf(expected());
		assertThat(received.subList(0, 20)).allMatch((id) -> id.startsWith("old-"));
	}

	private void readSomeThenStop() {
		this.runner.run((context) -> {
			IntStream.range(0, 4).forEach((i) -> this.table.put("p" + i, "first-" + i, 1, "x"));
			context.getBean(ReviewTrigger.class).received.awaitCount(4, TIMEOUT);
		});
	}

	private List<String> readAgain() {
		List<String>[] received = new List[1];
		this.runner.run((context) -> received[0] = context.getBean(ReviewTrigger.class).received.awaitCount(25,
				TIMEOUT));
		return received[0];
	}

	private static List<String> expected() {
		return IntStream.range(0, 25).mapToObj((i) -> (i < 20) ? "old-" + i : "new-" + (i - 20)).toList();
	}

	private void enableStream(boolean enabled) {
		this.table.client.updateTable((update) -> update.tableName(this.table.name)
			.streamSpecification((stream) -> {
				stream.streamEnabled(enabled);
				if (enabled) {
					stream.streamViewType(StreamViewType.NEW_AND_OLD_IMAGES);
				}
			}));
	}

	static class ReviewTrigger {

		final Received<String> received = new Received<>();

		@DynamoTrigger(table = "${test.table}")
		void onReview(ItemChange<Review> change) {
			this.received.add(change.keys().get("reviewId").s());
		}

	}

}
