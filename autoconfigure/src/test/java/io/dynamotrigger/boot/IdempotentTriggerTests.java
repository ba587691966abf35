package io.dynamotrigger.boot;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.error.DeadLetterRecord;
import io.dynamotrigger.error.DeadLetterRedriver;
import io.dynamotrigger.error.DynamoDbDeadLetterTable;
import io.dynamotrigger.idempotency.IdempotencyKey;
import io.dynamotrigger.listener.TriggerRegistry;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbExtension;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idempotent triggers end to end on the local endpoint: a stream read again from its start by a second consumer
 * (as after a crash before the checkpoint) and a redrive of a record the trigger completed call the trigger only
 * for what it has not handled; and the start fails on idempotency settings that cannot work.
 */
@ExtendWith(LocalDynamoDbExtension.class)
class IdempotentTriggerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	private ReviewsTable table;

	private ApplicationContextRunner runner;

	@BeforeEach
	void createTable(LocalDynamoDb local) {
		this.table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		this.runner = TestContexts.runner(this.table)
			.withUserConfiguration(NotifyTrigger.class, Meters.class)
			.withPropertyValues("dynamo-trigger.idempotency.table-name=" + this.table.name + "-idempotency",
					"dynamo-trigger.retry.max-attempts=1");
	}

	@AfterEach
	void deleteTables() {
		this.table.delete();
		try {
			this.table.client.deleteTable((delete) -> delete.tableName(this.table.name + "-idempotency"));
		}
		catch (ResourceNotFoundException ex) {
			// created only when a trigger is idempotent
		}
	}

	@Test
	void aStreamReadAgainByAnotherConsumerCallsTheIdempotentTriggerOnlyForNewRecords() {
		ApplicationContextRunner idempotent = this.runner.withPropertyValues("test.idempotent=true");
		idempotent.run((context) -> {
			this.table.put("p", "r1", 5, "one");
			this.table.put("p", "r2", 5, "two");
			this.table.put("p", "r3", 5, "three");
			assertThat(context.getBean(NotifyTrigger.class).notified.awaitCount(3, TIMEOUT)).containsExactly("r1",
					"r2", "r3");
		});
		idempotent.withPropertyValues("spring.application.name=second-consumer-" + this.table.name).run((context) -> {
			this.table.put("p", "r4", 5, "four");
			NotifyTrigger trigger = context.getBean(NotifyTrigger.class);
			trigger.notified.awaitUntil("r4"::equals, TIMEOUT);

			assertThat(trigger.notified.all()).containsExactly("r4");
			assertThat(context.getBean(MeterRegistry.class)
				.get("dynamo.trigger.idempotency.skipped")
				.tag("trigger", "notify")
				.counter()
				.count()).isEqualTo(3);
			assertThat(context.getBean(MeterRegistry.class)
				.get("dynamo.trigger.idempotency.store")
				.tags("operation", "claim", "result", "success")
				.timer()
				.count()).isEqualTo(4);
		});
	}

	@Test
	void withoutIdempotentTheStreamReadAgainCallsTheTriggerForEveryRecord() {
		this.runner.run((context) -> {
			this.table.put("p", "r1", 5, "one");
			context.getBean(NotifyTrigger.class).notified.awaitCount(1, TIMEOUT);
		});
		this.runner.withPropertyValues("spring.application.name=second-consumer-" + this.table.name).run((context) -> {
			this.table.put("p", "r2", 5, "two");
			NotifyTrigger trigger = context.getBean(NotifyTrigger.class);
			trigger.notified.awaitUntil("r2"::equals, TIMEOUT);

			assertThat(trigger.notified.all()).containsExactly("r1", "r2");
		});
	}

	@Test
	void whileTheIdempotencyTableIsGoneTheShardWaitsAndResumesWithoutSkippingOnceItIsBack() {
		String idempotencyTable = this.table.name + "-idempotency";
		this.runner.withPropertyValues("test.idempotent=true").run((context) -> {
			NotifyTrigger trigger = context.getBean(NotifyTrigger.class);
			this.table.put("p", "r1", 5, "one");
			trigger.notified.awaitCount(1, TIMEOUT);
			this.table.client.deleteTable((delete) -> delete.tableName(idempotencyTable));

			this.table.put("p", "r2", 5, "two");
			this.table.put("p", "r3", 5, "three");
			Thread.sleep(3_000);
			assertThat(trigger.notified.all()).containsExactly("r1");
			this.table.client.createTable((create) -> create.tableName(idempotencyTable)
				.billingMode(BillingMode.PAY_PER_REQUEST)
				.attributeDefinitions((attribute) -> attribute.attributeName("id").attributeType(ScalarAttributeType.S))
				.keySchema((key) -> key.attributeName("id").keyType(KeyType.HASH)));

			assertThat(trigger.notified.awaitCount(3, TIMEOUT)).containsExactly("r1", "r2", "r3");
			assertThat(context.getBean(MeterRegistry.class)
				.get("dynamo.trigger.idempotency.store")
				.tags("operation", "claim", "result", "error")
				.timer()
				.count()).isPositive();
		});
	}

	@Test
	void thePropertyMakesATriggerIdempotentThatItsAnnotationLeavesOut() {
		ApplicationContextRunner idempotent = this.runner
			.withPropertyValues("dynamo-trigger.triggers.notify.idempotent=true");
		idempotent.run((context) -> {
			this.table.put("p", "r1", 5, "one");
			context.getBean(NotifyTrigger.class).notified.awaitCount(1, TIMEOUT);
		});
		idempotent.withPropertyValues("spring.application.name=second-consumer-" + this.table.name).run((context) -> {
			this.table.put("p", "r2", 5, "two");
			NotifyTrigger trigger = context.getBean(NotifyTrigger.class);
			trigger.notified.awaitUntil("r2"::equals, TIMEOUT);

			assertThat(trigger.notified.all()).containsExactly("r2");
		});
	}

	@Test
	void aDeadLetterIsRedrivenOnceAndARedriveOfTheCompletedRecordDoesNotCallTheTrigger() {
		this.runner.withPropertyValues("test.idempotent=true").run((context) -> {
			NotifyTrigger trigger = context.getBean(NotifyTrigger.class);
			this.table.put("p", "poison", 1, "fails until fixed");
			this.table.put("p", "r1", 5, "after");
			trigger.notified.awaitUntil("r1"::equals, TIMEOUT);
			DynamoDbDeadLetterTable deadLetters = context.getBean(DynamoDbDeadLetterTable.class);
			DeadLetterRecord deadLetter = deadLetters.list("notify", Instant.EPOCH, Instant.now().plusSeconds(60)).get(0);
			trigger.fixed.set(true);

			assertThat(context.getBean(DeadLetterRedriver.class).redrive("notify"))
				.isEqualTo(new DeadLetterRedriver.Result(1, 0));
			context.getBean(TriggerRegistry.class).redeliver(deadLetter);

			assertThat(trigger.notified.all()).containsExactly("r1", "poison");
		});
	}

	@Test
	void anIdempotentTriggerThatNamesAKeyBeanStartsAndIsCalled() {
		this.runner.withUserConfiguration(KeyedTrigger.class).withPropertyValues("test.idempotent=true").run((context) -> {
			assertThat(context).hasNotFailed();
			this.table.put("p", "r1", 5, "one");
			context.getBean(KeyedTrigger.class).notified.awaitCount(1, TIMEOUT);
		});
	}

	@Test
	void anIdempotencyKeyThatNamesNoBeanFailsTheStart() {
		this.runner.withUserConfiguration(KeyedTrigger.class)
			.withPropertyValues("test.idempotent=true", "test.key=noSuchBean")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("names idempotencyKey = \"noSuchBean\", but there is no bean of that name"));
	}

	@Test
	void anIdempotencyKeyOnATriggerThatIsNotIdempotentFailsTheStart() {
		this.runner.withUserConfiguration(KeyedTrigger.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("but is not idempotent; set idempotent = \"true\""));
	}

	@Test
	void anIdempotentValueOtherThanTrueOrFalseFailsTheStart() {
		this.runner.withPropertyValues("test.idempotent=yes")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("has idempotent = \"yes\"; set \"true\" or \"false\""));
	}

	@Test
	void retriesThatPauseAsLongAsTheLockTimeoutFailTheStart() {
		this.runner
			.withPropertyValues("test.idempotent=true", "dynamo-trigger.idempotency.lock-timeout=2s",
					"dynamo-trigger.retry.max-attempts=5")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("Trigger 'notify' is idempotent, but its retries pause at least 3000 ms")
				.hasMessageContaining("dynamo-trigger.triggers.notify.retry.max-attempts"));
	}

	@Test
	void aLockTimeoutBelowOneSecondFailsTheStart() {
		this.runner.withPropertyValues("dynamo-trigger.idempotency.lock-timeout=500ms")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("dynamo-trigger.idempotency.lock-timeout is PT0.5S; set at least 1s"));
	}

	/**
	 * Notifies once per review; fails on review "poison" until fixed.
	 */
	static class NotifyTrigger {

		final Received<String> notified = new Received<>();

		final AtomicBoolean fixed = new AtomicBoolean();

		@DynamoTrigger(table = "${test.table}", id = "notify", idempotent = "${test.idempotent:}")
		void onReview(ItemChange<Review> change) {
			String reviewId = change.keys().get("reviewId").s();
			if (reviewId.equals("poison") && !this.fixed.get()) {
				throw new IllegalStateException("poison");
			}
			this.notified.add(reviewId);
		}

	}

	/**
	 * A trigger that names a key bean for records without an event id.
	 */
	@Configuration(proxyBeanMethods = false)
	static class KeyedTrigger {

		final Received<String> notified = new Received<>();

		@Bean
		IdempotencyKey reviewKey() {
			return (record) -> record.dynamodb().keys().get("reviewId").s();
		}

		@DynamoTrigger(table = "${test.table}", id = "keyed", idempotent = "${test.idempotent:}",
				idempotencyKey = "${test.key:reviewKey}")
		void onReview(ItemChange<Review> change) {
			this.notified.add(change.keys().get("reviewId").s());
		}

	}

}
