package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consumers read and stop without a worker of the common fork-join pool: an application that keeps
 * every worker of that pool busy (with two CPUs that is a single worker) neither delays its triggers nor
 * their graceful stop. It proves most on JDK 25, which {@code .ci/run} runs it on: with two CPUs or fewer
 * JDK 17's {@code CompletableFuture} does not use the pool at all.
 */
@ExtendWith({ LocalDynamoDbExtension.class, OutputCaptureExtension.class })
class CommonPoolIndependenceTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final CountDownLatch release = new CountDownLatch(1);

	private ReviewsTable table;

	private ApplicationContextRunner runner;

	@BeforeEach
	void createTable(LocalDynamoDb local) {
		this.table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		this.runner = TestContexts.runner(this.table);
	}

	@AfterEach
	void releaseCommonPool() {
		this.release.countDown();
	}

	@Test
	void recordsKeepArrivingWhileEveryCommonPoolWorkerIsBusy() {
		this.runner.withUserConfiguration(ChangeTrigger.class).run((context) -> {
			Received<ItemChange<Review>> received = context.getBean(ChangeTrigger.class).received;
			this.table.put("p", "before", 3, "x");
			received.awaitCount(1, TIMEOUT);

			occupyCommonPool();
			IntStream.range(0, 5).forEach((i) -> this.table.put("p", "busy-" + i, 3, "x"));

			assertThat(received.awaitCount(6, TIMEOUT)).hasSize(6);
		});
	}

	@Test
	void gracefulStopFinishesWhileEveryCommonPoolWorkerIsBusy(CapturedOutput output) {
		this.runner.withUserConfiguration(ChangeTrigger.class).run((context) -> {
			this.table.put("p", "r1", 3, "x");
			context.getBean(ChangeTrigger.class).received.awaitCount(1, TIMEOUT);
			occupyCommonPool();
		});

		assertThat(output).contains("Stopped the shared KCL application " + TestContexts.leaseTable(this.table))
			.doesNotContain("did not finish within")
			.doesNotContain("has not ended within")
			.doesNotContain(" ERROR ");
	}

	/**
	 * Blocks every worker the common pool has, the way a task that waits on I/O or a lock does.
	 */
	private void occupyCommonPool() throws InterruptedException {
		int workers = ForkJoinPool.getCommonPoolParallelism();
		CountDownLatch running = new CountDownLatch(workers);
		for (int i = 0; i < workers; i++) {
			ForkJoinPool.commonPool().execute(() -> {
				running.countDown();
				try {
					this.release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
		}
		assertThat(running.await(10, TimeUnit.SECONDS)).as("every common pool worker is busy").isTrue();
	}

	static class ChangeTrigger {

		final Received<ItemChange<Review>> received = new Received<>();

		@DynamoTrigger(table = "${test.table}")
		void onReview(ItemChange<Review> change) {
			this.received.add(change);
		}

	}

}
