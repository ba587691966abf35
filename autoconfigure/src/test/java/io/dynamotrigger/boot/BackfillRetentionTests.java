package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.dynamotrigger.backfill.BackfillProgress;
import io.dynamotrigger.listener.TriggerRegistry;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbTest;
import io.dynamotrigger.test.LocalDynamoDbTest.Topology;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backfill whose scan outlives the stream's retention (here 3 seconds, on the local endpoint and in the
 * settings) fails: health DOWN with the reason, the trigger's stream records held rather than passed on with a
 * gap, the failure kept for the next start; the actuator's backfill action begins another one, which delivers
 * what the stream no longer holds.
 */
@LocalDynamoDbTest(topology = @Topology(retention = "PT3S"))
class BackfillRetentionTests {

	@Test
	void aScanLongerThanTheStreamsRetentionFailsClearlyAndHoldsTheStreamUntilAnotherBackfill(LocalDynamoDb local)
			throws InterruptedException {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		List<String> before = IntStream.range(0, 16).mapToObj((i) -> "p" + i).toList();
		table.putEach(before, "r", 3, "before");
		Thread.sleep(1500);
		ApplicationContextRunner runner = TestContexts.runner(table)
			.withConfiguration(AutoConfigurations.of(DynamoTriggerActuatorAutoConfiguration.class))
			.withUserConfiguration(Meters.class, BackfillTests.Summary.class)
			.withPropertyValues("dynamo-trigger.backfill.segments=2", "dynamo-trigger.backfill.page-size=2",
					"dynamo-trigger.backfill.seam-margin=1s", "dynamo-trigger.backfill.stream-retention=3s",
					"management.endpoints.web.exposure.include=dynamotriggers");
		runner.withPropertyValues("dynamo-trigger.backfill.items-per-second=2").run((context) -> {
			TriggerRegistry registry = context.getBean(TriggerRegistry.class);
			BackfillTests.awaitProgress(registry, (progress) -> progress.itemsScanned() > 0);
			table.put("during", "r", 1, "written during the scan");
			BackfillProgress failed = BackfillTests.awaitProgress(registry,
					(progress) -> progress.phase() == BackfillProgress.Phase.FAILED);
			Health health = backfillHealth(context).health();

			assertThat(failed.itemsScanned()).isLessThan(before.size());
			assertThat(failed.failure()).contains("longer ago than the stream keeps its records (PT3S)");
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("summary", failed);
			// The stream's change written during the scan stays held (its shard waits in the pipeline).
			Thread.sleep(2000);
			assertThat(context.getBean(BackfillTests.Summary.class).received.all()).as("delivered")
				.allMatch(BackfillTests.Delivery::backfill);
		});
		runner.withPropertyValues("dynamo-trigger.backfill.items-per-second=0").run((context) -> {
			TriggerRegistry registry = context.getBean(TriggerRegistry.class);
			BackfillTests.awaitProgress(registry, (progress) -> progress.phase() == BackfillProgress.Phase.FAILED);
			assertThat(backfillHealth(context).health().getStatus()).as("health after a restart").isEqualTo(Status.DOWN);

			Map<String, Object> described = context.getBean(DynamoTriggersEndpoint.class).change("summary", "backfill");
			BackfillProgress done = BackfillTests.awaitProgress(registry,
					(progress) -> progress.phase() == BackfillProgress.Phase.DONE);
			List<BackfillTests.Delivery> received = context.getBean(BackfillTests.Summary.class).received.all();

			assertThat(done.itemsScanned()).isEqualTo(before.size() + 1);
			assertThat(received).filteredOn(BackfillTests.Delivery::backfill)
				.extracting(BackfillTests.Delivery::key)
				.contains("during/r", "p0/r", "p15/r");
			assertThat(backfillHealth(context).health().getStatus()).isEqualTo(Status.UP);
			assertThat(described.get("backfill")).isInstanceOf(BackfillProgress.class);
			assertThat(context.getBean(DynamoTriggersEndpoint.class).trigger("summary").get("backfill"))
				.extracting("phase")
				.isEqualTo(BackfillProgress.Phase.DONE);
		});
	}

	private static HealthIndicator backfillHealth(ApplicationContext context) {
		return context.getBean("dynamoTriggerBackfillHealthIndicator", HealthIndicator.class);
	}

}
