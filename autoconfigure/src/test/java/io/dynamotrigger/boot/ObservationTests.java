package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbExtension;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each trigger call is a Micrometer observation when {@code dynamo-trigger.observation-enabled} is set and the
 * application has an {@link ObservationRegistry}; a failing call's observation carries the error.
 */
@ExtendWith(LocalDynamoDbExtension.class)
class ObservationTests {

	@Test
	void eachCallIsAnObservationWithTriggerTableAndSequenceNumberAndAFailureCarriesItsError(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		Recorder recorder = new Recorder();

		TestContexts.runner(table)
			.withUserConfiguration(FailsOnLowRatings.class)
			.withBean(ObservationRegistry.class, recorder::registry)
			.withPropertyValues("dynamo-trigger.observation-enabled=true", "dynamo-trigger.retry.max-attempts=1")
			.run((context) -> {
				table.put("p", "r1", 5, "fine");
				table.put("p", "r2", 1, "fails");
				awaitStopped(recorder, 2);

				assertThat(recorder.stopped).extracting(Observation.Context::getName)
					.containsOnly("dynamo.trigger.process");
				assertThat(recorder.stopped).allSatisfy((observation) -> {
					assertThat(observation.getLowCardinalityKeyValue("trigger").getValue()).isEqualTo("ratings");
					assertThat(observation.getLowCardinalityKeyValue("table").getValue()).isEqualTo(table.name);
					assertThat(observation.getHighCardinalityKeyValue("sequence.number").getValue()).isNotBlank();
				});
				assertThat(recorder.stopped).filteredOn((observation) -> observation.getError() != null)
					.singleElement()
					.satisfies((failed) -> assertThat(failed.getError()).hasMessage("rating 1"));
			});
	}

	@Test
	void noObservationWithoutTheProperty(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		Recorder recorder = new Recorder();

		TestContexts.runner(table)
			.withUserConfiguration(FailsOnLowRatings.class)
			.withBean(ObservationRegistry.class, recorder::registry)
			.run((context) -> {
				table.put("p", "r1", 5, "fine");
				FailsOnLowRatings trigger = context.getBean(FailsOnLowRatings.class);
				long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
				while (trigger.calls.isEmpty() && System.nanoTime() < deadline) {
					Thread.sleep(50);
				}
				assertThat(trigger.calls).containsExactly("r1");
				assertThat(recorder.stopped).isEmpty();
			});
	}

	private static void awaitStopped(Recorder recorder, int count) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (recorder.stopped.size() < count && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(recorder.stopped).hasSizeGreaterThanOrEqualTo(count);
	}

	static final class Recorder implements ObservationHandler<Observation.Context> {

		final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

		ObservationRegistry registry() {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(this);
			return registry;
		}

		@Override
		public void onStop(Observation.Context context) {
			this.stopped.add(context);
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

	static class FailsOnLowRatings {

		final List<String> calls = new CopyOnWriteArrayList<>();

		@DynamoTrigger(table = "${test.table}", id = "ratings")
		void onReview(ItemChange<Review> change) {
			this.calls.add(change.newImage().getReviewId());
			if (change.newImage().getRating() < 2) {
				throw new IllegalStateException("rating " + change.newImage().getRating());
			}
		}

	}

}
