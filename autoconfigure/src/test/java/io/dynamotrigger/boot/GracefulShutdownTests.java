package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping the application while records flow, then starting it again.
 */
@ExtendWith(LocalDynamoDbExtension.class)
class GracefulShutdownTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	private static final int RECORDS = 400;

	@Test
	void stopWhileRecordsFlowAndRestartLosesNothingAndRepeatsNothing(LocalDynamoDb local) throws Exception {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		ApplicationContextRunner runner = TestContexts.runner(table);
		List<String> handled = new ArrayList<>();
		CompletableFuture<Void> writer = CompletableFuture
			.runAsync(() -> IntStream.range(0, RECORDS).forEach((i) -> table.put("p", "r%04d".formatted(i), 1, "x")));

		List<SlowTrigger> firstRun = new ArrayList<>();
		runner.withUserConfiguration(SlowTrigger.class).run((context) -> {
			firstRun.add(context.getBean(SlowTrigger.class));
			firstRun.get(0).received.awaitCount(50, TIMEOUT);
		});
		// Read after the context closed: records in progress at the stop finish during it.
		handled.addAll(firstRun.get(0).received.all());
		int beforeStop = handled.size();
		writer.join();

		runner.withUserConfiguration(SlowTrigger.class).run((context) -> {
			SlowTrigger trigger = context.getBean(SlowTrigger.class);
			trigger.received.awaitUntil("r%04d".formatted(RECORDS - 1)::equals, TIMEOUT);
			handled.addAll(trigger.received.all());
		});

		assertThat(beforeStop).isLessThan(RECORDS);
		assertThat(handled).containsExactlyElementsOf(
				IntStream.range(0, RECORDS).mapToObj("r%04d"::formatted).toList());
	}

	/**
	 * Takes a few milliseconds per record, so that the stop lands in the middle of a batch.
	 */
	static class SlowTrigger {

		final Received<String> received = new Received<>();

		@DynamoTrigger(table = "${test.table}")
		void onReview(ItemChange<Review> change) throws InterruptedException {
			Thread.sleep(3);
			this.received.add(change.keys().get("reviewId").s());
		}

	}

}
