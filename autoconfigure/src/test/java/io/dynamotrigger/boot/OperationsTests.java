package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.error.DeadLetterRedriver;
import io.dynamotrigger.listener.TriggerRegistry;
import io.dynamotrigger.status.TriggerState;
import io.dynamotrigger.status.TriggerStatus;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbExtension;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What an operator sees and controls, on the local endpoint: metrics, health, pause and resume, stop and
 * start, redrive, auto-startup.
 */
@ExtendWith(LocalDynamoDbExtension.class)
class OperationsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private ReviewsTable table;

	private ApplicationContextRunner runner;

	@BeforeEach
	void createTable(LocalDynamoDb local) {
		this.table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		this.runner = TestContexts.runner(this.table)
			.withConfiguration(AutoConfigurations.of(DynamoTriggerActuatorAutoConfiguration.class))
			.withPropertyValues("dynamo-trigger.dead-letter.table-name=" + this.table.name + "-dead-letters");
	}

	@Test
	void metricsCountRecordsByResultAndTimeHandlerCalls() {
		this.runner.withUserConfiguration(Meters.class, InsertCounter.class).run((context) -> {
			InsertCounter trigger = context.getBean(InsertCounter.class);
			IntStream.range(0, 10).forEach((i) -> this.table.put("p", "r" + i, 3, "x"));
			IntStream.range(0, 4).forEach((i) -> this.table.remove("p", "r" + i));
			this.table.put("p", "last", 3, "x");
			trigger.handled.awaitUntil("last"::equals, TIMEOUT);
			MeterRegistry meters = context.getBean(MeterRegistry.class);

			assertThat(meters.get("dynamo.trigger.records").tag("trigger", "inserts").tag("result", "handled")
				.counter().count()).isEqualTo(11);
			assertThat(meters.get("dynamo.trigger.records").tag("trigger", "inserts").tag("result", "filtered")
				.counter().count()).isEqualTo(4);
			assertThat(meters.get("dynamo.trigger.handler").tag("trigger", "inserts").tag("result", "success")
				.tag("exception", "none").tag("table", this.table.name).timer().count()).isEqualTo(11);
			assertThat(meters.get("dynamo.trigger.lag").tag("table", this.table.name).gauge()).isNotNull();
			assertThat(meters.get("dynamo.trigger.leases").tag("table", this.table.name).gauge().value())
				.isEqualTo(1);
			assertThat(meters.get("dynamo.trigger.getrecords").tag("table", this.table.name).tag("result", "records")
				.counter().count()).isPositive();
			awaitEmptyRead(meters);
			assertThat(meters.get("dynamo.trigger.getrecords").tag("table", this.table.name).tag("result", "empty")
				.counter().count()).isPositive();
		});
	}

	@Test
	void healthIsDownWhileAHandlerIsStuckPastTheStallTimeoutAndUpAgainAfter() {
		this.runner.withUserConfiguration(BlockingTrigger.class)
			.withPropertyValues("dynamo-trigger.health.stall-timeout=1s")
			.run((context) -> {
				BlockingTrigger trigger = context.getBean(BlockingTrigger.class);
				HealthIndicator health = context.getBean("dynamoTriggerHealthIndicator", HealthIndicator.class);
				this.table.put("p", "r1", 3, "blocks");
				assertThat(trigger.entered.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();

				Health stalled = awaitHealth(health, Status.DOWN);
				trigger.release.countDown();
				Health recovered = awaitHealth(health, Status.UP);

				assertThat(stalled.getDetails()).containsKey("blocking");
				assertThat(((Map<?, ?>) stalled.getDetails().get("blocking")).get("reason")).asString()
					.contains("stalled");
				assertThat(recovered.getStatus()).isEqualTo(Status.UP);
			});
	}

	@Test
	void stalledGaugeCountsTheShardWhoseHandlerIsStuckPastTheStallTimeoutUntilItReturns() {
		this.runner.withUserConfiguration(Meters.class, BlockingTrigger.class)
			.withPropertyValues("dynamo-trigger.health.stall-timeout=1s")
			.run((context) -> {
				BlockingTrigger trigger = context.getBean(BlockingTrigger.class);
				HealthIndicator health = context.getBean("dynamoTriggerHealthIndicator", HealthIndicator.class);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				this.table.put("p", "r1", 3, "blocks");
				assertThat(trigger.entered.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();

				awaitHealth(health, Status.DOWN);
				double whileStuck = stalled(meters, "record");
				trigger.release.countDown();
				awaitHealth(health, Status.UP);

				assertThat(whileStuck).isEqualTo(1);
				assertThat(stalled(meters, "record")).isZero();
			});
	}

	private double stalled(MeterRegistry meters, String kind) {
		return meters.get("dynamo.trigger.stalled").tag("table", this.table.name).tag("kind", kind).gauge().value();
	}

	@Test
	void healthIsDownWhenTheLeaseTableNoLongerAnswers() {
		this.runner.withUserConfiguration(InsertCounter.class).run((context) -> {
			InsertCounter trigger = context.getBean(InsertCounter.class);
			HealthIndicator health = context.getBean("dynamoTriggerHealthIndicator", HealthIndicator.class);
			this.table.put("p", "r1", 3, "x");
			trigger.handled.awaitUntil("r1"::equals, TIMEOUT);
			Health running = awaitHealth(health, Status.UP);

			this.table.client.deleteTable((delete) -> delete.tableName(TestContexts.leaseTable(this.table)));
			Health unreachable = awaitHealth(health, Status.DOWN);

			assertThat(running.getDetails()).containsKey("inserts");
			assertThat(((Map<?, ?>) unreachable.getDetails().get("inserts")).get("reason")).asString()
				.containsAnyOf("lease table " + TestContexts.leaseTable(this.table) + " unreachable",
						"expired: their renewals failed");
		});
	}

	@Test
	void pausedTriggerGetsNoRecordsAndAfterResumeGetsThemAllInOrder() {
		this.runner.withUserConfiguration(InsertCounter.class).run((context) -> {
			InsertCounter trigger = context.getBean(InsertCounter.class);
			TriggerRegistry registry = context.getBean(TriggerRegistry.class);
			this.table.put("p", "r0", 3, "x");
			trigger.handled.awaitUntil("r0"::equals, TIMEOUT);

			registry.pause("inserts");
			IntStream.range(1, 6).forEach((i) -> this.table.put("p", "r" + i, 3, "x"));
			Thread.sleep(1500);
			List<String> whilePaused = trigger.handled.all();
			TriggerState pausedState = state(registry, "inserts");
			registry.resume("inserts");

			assertThat(whilePaused).containsExactly("r0");
			assertThat(pausedState).isEqualTo(TriggerState.PAUSED);
			assertThat(trigger.handled.awaitUntil("r5"::equals, TIMEOUT)).containsExactly("r0", "r1", "r2", "r3",
					"r4", "r5");
			assertThat(state(registry, "inserts")).isEqualTo(TriggerState.RUNNING);
		});
	}

	@Test
	void triggerWithoutAutoStartupWaitsUntilStartedAndThenGetsWhatWasWritten() {
		this.runner.withUserConfiguration(InsertCounter.class)
			.withPropertyValues("dynamo-trigger.triggers.inserts.auto-startup=false")
			.run((context) -> {
				InsertCounter trigger = context.getBean(InsertCounter.class);
				TriggerRegistry registry = context.getBean(TriggerRegistry.class);
				this.table.put("p", "r1", 3, "x");
				Thread.sleep(1000);
				TriggerState before = state(registry, "inserts");

				registry.startTrigger("inserts");

				assertThat(before).isEqualTo(TriggerState.STOPPED);
				assertThat(trigger.handled.awaitUntil("r1"::equals, TIMEOUT)).containsExactly("r1");
			});
	}

	@Test
	void disabledTriggerIsNeverCalled() {
		this.runner.withUserConfiguration(InsertCounter.class, BlockingTrigger.class)
			.withPropertyValues("dynamo-trigger.triggers.inserts.enabled=false")
			.run((context) -> {
				assertThat(context.getBean(TriggerRegistry.class).status()).extracting(TriggerStatus::id)
					.containsExactly("blocking");
				context.getBean(BlockingTrigger.class).release.countDown();
				this.table.put("p", "r1", 3, "x");
				assertThat(context.getBean(BlockingTrigger.class).entered.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
					.isTrue();
				assertThat(context.getBean(InsertCounter.class).handled.all()).isEmpty();
			});
	}

	@Test
	@SuppressWarnings("unchecked")
	void endpointListsTriggersAndPausesAndResumesOne() {
		this.runner.withUserConfiguration(InsertCounter.class)
			.withPropertyValues("management.endpoints.web.exposure.include=dynamotriggers")
			.run((context) -> {
				DynamoTriggersEndpoint endpoint = context.getBean(DynamoTriggersEndpoint.class);
				InsertCounter trigger = context.getBean(InsertCounter.class);
				this.table.put("p", "r1", 3, "x");
				trigger.handled.awaitUntil("r1"::equals, TIMEOUT);

				Map<String, Object> listed = (Map<String, Object>) endpoint.triggers().get("inserts");
				Map<String, Object> paused = endpoint.change("inserts", "pause");
				Map<String, Object> resumed = endpoint.change("inserts", "resume");

				assertThat(listed).containsEntry("table", this.table.name)
					.containsEntry("state", TriggerState.RUNNING)
					.containsEntry("leaseTable", TestContexts.leaseTable(this.table))
					.containsEntry("deadLetters", 0L);
				assertThat((List<?>) listed.get("shards")).hasSize(1);
				assertThat(paused).containsEntry("state", TriggerState.PAUSED);
				assertThat(resumed).containsEntry("state", TriggerState.RUNNING);
			});
	}

	@Test
	void endpointStopsATriggerAndStartsItAgainWhereItStopped() {
		this.runner.withUserConfiguration(InsertCounter.class)
			.withPropertyValues("management.endpoints.web.exposure.include=dynamotriggers")
			.run((context) -> {
				DynamoTriggersEndpoint endpoint = context.getBean(DynamoTriggersEndpoint.class);
				InsertCounter trigger = context.getBean(InsertCounter.class);
				this.table.put("p", "r1", 3, "x");
				trigger.handled.awaitUntil("r1"::equals, TIMEOUT);

				Map<String, Object> stopped = endpoint.change("inserts", "stop");
				this.table.put("p", "r2", 3, "x");
				this.table.put("p", "r3", 3, "x");
				Thread.sleep(1500);
				List<String> whileStopped = trigger.handled.all();
				Map<String, Object> started = endpoint.change("inserts", "start");

				assertThat(stopped).containsEntry("state", TriggerState.STOPPED);
				assertThat(whileStopped).containsExactly("r1");
				assertThat(started.get("state")).isIn(TriggerState.STARTING, TriggerState.RUNNING);
				assertThat(trigger.handled.awaitUntil("r3"::equals, TIMEOUT)).containsExactly("r1", "r2", "r3");
			});
	}

	@Test
	void endpointRedrivesATriggersDeadLettersAndReportsWhatBecameOfThem() {
		this.runner.withUserConfiguration(FailingUntilFixed.class)
			.withPropertyValues("management.endpoints.web.exposure.include=dynamotriggers",
					"dynamo-trigger.retry.max-attempts=1")
			.run((context) -> {
				DynamoTriggersEndpoint endpoint = context.getBean(DynamoTriggersEndpoint.class);
				FailingUntilFixed trigger = context.getBean(FailingUntilFixed.class);
				this.table.put("p", "r1", 3, "x");
				this.table.put("p", "r2", 3, "x");
				awaitDeadLetters(endpoint, 2L);

				trigger.fixed = true;
				Map<String, Object> redriven = endpoint.change("until-fixed", "redrive");

				assertThat(redriven).containsEntry("redrive", new DeadLetterRedriver.Result(2, 0))
					.containsEntry("deadLetters", 0L);
				assertThat(trigger.handled.all()).containsExactlyInAnyOrder("r1", "r2");
			});
	}

	@Test
	void endpointRejectsAnUnknownActionAndAnUnknownTriggerNamingWhatExists() {
		this.runner.withUserConfiguration(InsertCounter.class)
			.withPropertyValues("management.endpoints.web.exposure.include=dynamotriggers")
			.run((context) -> {
				DynamoTriggersEndpoint endpoint = context.getBean(DynamoTriggersEndpoint.class);

				assertThatIllegalArgumentException().isThrownBy(() -> endpoint.change("inserts", "restart"))
					.withMessage("Unknown action 'restart'; use pause, resume, stop, start, redrive or backfill");
				assertThatIllegalArgumentException().isThrownBy(() -> endpoint.change("other", "pause"))
					.withMessageContaining("the triggers are [inserts]");
			});
	}

	private static void awaitDeadLetters(DynamoTriggersEndpoint endpoint, long count) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		Object deadLetters = null;
		while (!Long.valueOf(count).equals(deadLetters) && System.nanoTime() < deadline) {
			Thread.sleep(100);
			deadLetters = ((Map<?, ?>) endpoint.triggers().get("until-fixed")).get("deadLetters");
		}
		assertThat(deadLetters).isEqualTo(count);
	}

	/**
	 * The read after the last records comes back empty a few milliseconds later.
	 */
	private void awaitEmptyRead(MeterRegistry meters) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (meters.find("dynamo.trigger.getrecords").tag("table", this.table.name).tag("result", "empty")
			.counter() == null && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
	}

	private static TriggerState state(TriggerRegistry registry, String id) {
		return registry.status().stream().filter((status) -> status.id().equals(id)).findFirst().orElseThrow().state();
	}

	private static Health awaitHealth(HealthIndicator indicator, Status status) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		Health health = indicator.health(true);
		while (!health.getStatus().equals(status) && System.nanoTime() < deadline) {
			Thread.sleep(100);
			health = indicator.health(true);
		}
		assertThat(health.getStatus()).isEqualTo(status);
		return health;
	}

	static class InsertCounter {

		final Received<String> handled = new Received<>();

		@DynamoTrigger(table = "${test.table}", id = "inserts", events = { EventType.INSERT, EventType.MODIFY })
		void onReview(ItemChange<Review> change) {
			this.handled.add(change.keys().get("reviewId").s());
		}

	}

	static class FailingUntilFixed {

		final Received<String> handled = new Received<>();

		volatile boolean fixed;

		@DynamoTrigger(table = "${test.table}", id = "until-fixed")
		void onReview(ItemChange<Review> change) {
			if (!this.fixed) {
				throw new IllegalStateException("not fixed yet");
			}
			this.handled.add(change.keys().get("reviewId").s());
		}

	}

	static class BlockingTrigger {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@DynamoTrigger(table = "${test.table}", id = "blocking")
		void onReview(ItemChange<Review> change) throws InterruptedException {
			this.entered.countDown();
			this.release.await();
		}

	}

}
