package io.dynamotrigger.boot;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.error.DeadLetterDestinations;
import io.dynamotrigger.error.DeadLetterRecord;
import io.dynamotrigger.error.DeadLetterRedriver;
import io.dynamotrigger.error.DynamoDbDeadLetterTable;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A trigger with a dead-letter table of its own, next to a trigger that uses the global one, on the local
 * endpoint.
 */
@ExtendWith(LocalDynamoDbExtension.class)
class TriggerDeadLetterTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private ReviewsTable table;

	private ApplicationContextRunner runner;

	@BeforeEach
	void createTable(LocalDynamoDb local) {
		this.table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		this.runner = TestContexts.runner(this.table)
			.withUserConfiguration(AuditTrigger.class, CounterTrigger.class)
			.withPropertyValues("dynamo-trigger.retry.max-attempts=1",
					"dynamo-trigger.dead-letter.table-name=" + this.table.name + "-dead-letters",
					"dynamo-trigger.triggers.audit.dead-letter.table-name=" + this.table.name + "-audit-dead-letters");
	}

	@Test
	void poisonRecordGoesToTheTriggersOwnTableAndTheOtherTriggersToTheGlobalOne() {
		this.runner.run((context) -> {
			this.table.put("p", "r150", 1, "poison");
			this.table.put("p", "r151", 1, "after");
			context.getBean(AuditTrigger.class).handled.awaitUntil("r151"::equals, TIMEOUT);
			context.getBean(CounterTrigger.class).handled.awaitUntil("r151"::equals, TIMEOUT);

			DeadLetterDestinations destinations = context.getBean(DeadLetterDestinations.class);
			DynamoDbDeadLetterTable auditTable = destinations.tableOf("audit").orElseThrow();
			DynamoDbDeadLetterTable global = context.getBean(DynamoDbDeadLetterTable.class);

			assertThat(auditTable.tableName()).isEqualTo(this.table.name + "-audit-dead-letters");
			assertThat(global.tableName()).isEqualTo(this.table.name + "-dead-letters");
			assertThat(all(auditTable, "audit")).extracting((deadLetter) -> deadLetter.change().keys())
				.singleElement()
				.satisfies((keys) -> assertThat(keys.get("reviewId").s()).isEqualTo("r150"));
			assertThat(all(global, "counter")).singleElement()
				.satisfies((deadLetter) -> assertThat(deadLetter.change().keys().get("reviewId").s()).isEqualTo("r150"));
			assertThat(all(global, "audit")).isEmpty();
			assertThat(all(auditTable, "counter")).isEmpty();
		});
	}

	@Test
	void redriveReadsTheTriggersOwnTable() {
		this.runner.run((context) -> {
			AuditTrigger audit = context.getBean(AuditTrigger.class);
			this.table.put("p", "r150", 1, "poison");
			this.table.put("p", "r151", 1, "after");
			audit.handled.awaitUntil("r151"::equals, TIMEOUT);
			context.getBean(CounterTrigger.class).handled.awaitUntil("r151"::equals, TIMEOUT);
			audit.fixed.set(true);

			DeadLetterRedriver.Result result = context.getBean(DeadLetterRedriver.class).redrive("audit");

			assertThat(result).isEqualTo(new DeadLetterRedriver.Result(1, 0));
			assertThat(audit.handled.all()).containsExactly("r151", "r150");
			assertThat(all(context.getBean(DeadLetterDestinations.class).tableOf("audit").orElseThrow(), "audit"))
				.isEmpty();
			assertThat(all(context.getBean(DynamoDbDeadLetterTable.class), "counter")).hasSize(1);
		});
	}

	private static List<DeadLetterRecord> all(DynamoDbDeadLetterTable table, String triggerId) {
		return table.list(triggerId, Instant.EPOCH, Instant.now().plusSeconds(60));
	}

	/**
	 * Fails on review r150 until fixed.
	 */
	static class AuditTrigger {

		final Received<String> handled = new Received<>();

		final AtomicBoolean fixed = new AtomicBoolean();

		@DynamoTrigger(table = "${test.table}", id = "audit")
		void onReview(ItemChange<Review> change) {
			String reviewId = change.keys().get("reviewId").s();
			if (reviewId.equals("r150") && !this.fixed.get()) {
				throw new IllegalStateException("poison " + reviewId);
			}
			this.handled.add(reviewId);
		}

	}

	/**
	 * Always fails on review r150.
	 */
	static class CounterTrigger {

		final Received<String> handled = new Received<>();

		@DynamoTrigger(table = "${test.table}", id = "counter")
		void onReview(ItemChange<Review> change) {
			String reviewId = change.keys().get("reviewId").s();
			if (reviewId.equals("r150")) {
				throw new IllegalStateException("poison " + reviewId);
			}
			this.handled.add(reviewId);
		}

	}

}
