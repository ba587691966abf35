package io.dynamotrigger.boot;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.error.DeadLetterHandler;
import io.dynamotrigger.error.DeadLetterReason;
import io.dynamotrigger.error.DeadLetterRecord;
import io.dynamotrigger.error.DeadLetterRedriver;
import io.dynamotrigger.error.DynamoDbDeadLetterTable;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failing triggers on the local endpoint: retries, dead letters in the DynamoDB table, a dead-letter
 * destination that is down, and redrive.
 */
@ExtendWith(LocalDynamoDbExtension.class)
class FailureHandlingTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private ReviewsTable table;

	private ApplicationContextRunner runner;

	@BeforeEach
	void createTable(LocalDynamoDb local) {
		this.table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		this.runner = TestContexts.runner(this.table)
			.withPropertyValues("dynamo-trigger.retry.max-attempts=3", "dynamo-trigger.retry.initial-interval=10ms",
					"dynamo-trigger.dead-letter.table-name=" + this.table.name + "-dead-letters");
	}

	@Test
	void poisonRecordIsDeadLetteredWithTheWholeRecordAndTheOthersAreHandledInOrder() {
		this.runner.withUserConfiguration(PoisonTrigger.class).run((context) -> {
			PoisonTrigger trigger = context.getBean(PoisonTrigger.class);
			IntStream.range(0, 1000).forEach((i) -> this.table.put("p", "r%03d".formatted(i), 1 + i % 5, "text " + i));

			List<String> handled = trigger.handled.awaitUntil("r999"::equals, TIMEOUT);

			assertThat(handled).hasSize(999)
				.doesNotContain("r150")
				.isSorted();
			assertThat(trigger.calls.get("r150")).hasValue(3);
			List<DeadLetterRecord> deadLetters = context.getBean(DynamoDbDeadLetterTable.class)
				.list("poison", Instant.EPOCH, Instant.now().plusSeconds(60));
			assertThat(deadLetters).singleElement().satisfies((deadLetter) -> {
				assertThat(deadLetter.failure().reason()).isEqualTo(DeadLetterReason.RETRIES_EXHAUSTED);
				assertThat(deadLetter.failure().attempts()).isEqualTo(3);
				assertThat(deadLetter.source().table()).isEqualTo(this.table.name);
				assertThat(deadLetter.change().keys()).containsEntry("reviewId", AttributeValue.fromS("r150"));
				assertThat(deadLetter.change().newImage()).containsEntry("text", AttributeValue.fromS("text 150"))
					.containsEntry("rating", AttributeValue.fromN("1"));
				assertThat(deadLetter.failure().exceptionMessage()).isEqualTo("poison r150");
				assertThat(deadLetter.failure().stackHead()).contains("PoisonTrigger.onReview");
			});
		});
	}

	@Test
	void transientFailureIsHandledOnceAndNotDeadLettered() {
		this.runner.withUserConfiguration(FlakyTrigger.class, RecordingDeadLetters.class).run((context) -> {
			FlakyTrigger trigger = context.getBean(FlakyTrigger.class);
			this.table.put("p", "r1", 4, "flaky");
			this.table.put("p", "r2", 4, "after");

			trigger.handled.awaitUntil("r2"::equals, TIMEOUT);

			assertThat(trigger.handled.all()).containsExactly("r1", "r2");
			assertThat(trigger.calls).hasValue(4);
			assertThat(context.getBean(RecordingDeadLetters.class).received).isEmpty();
		});
	}

	@Test
	void shardWaitsWithoutCheckpointingWhileTheDeadLetterDestinationIsDown() throws Exception {
		this.runner.withUserConfiguration(PoisonTrigger.class, RecordingDeadLetters.class).run((context) -> {
			PoisonTrigger trigger = context.getBean(PoisonTrigger.class);
			RecordingDeadLetters deadLetters = context.getBean(RecordingDeadLetters.class);
			deadLetters.down.set(true);
			this.table.put("p", "r149", 1, "before");
			this.table.put("p", "r150", 1, "poison");
			this.table.put("p", "r151", 1, "after");
			trigger.handled.awaitUntil("r149"::equals, TIMEOUT);
			awaitAtLeast(deadLetters.offers, 2);

			assertThat(trigger.handled.all()).containsExactly("r149");
			assertThat(deadLetters.received).isEmpty();
			String poisonSequence = trigger.sequenceNumbers.get("r150");
			assertThat(checkpoint()).isLessThan(new BigInteger(poisonSequence));

			deadLetters.down.set(false);

			assertThat(trigger.handled.awaitUntil("r151"::equals, TIMEOUT)).containsExactly("r149", "r151");
			assertThat(deadLetters.received).extracting((deadLetter) -> deadLetter.source().sequenceNumber())
				.containsExactly(poisonSequence);
		});
	}

	@Test
	void redriveAfterTheTriggerWasFixedHandlesAndDeletesTheDeadLetters() {
		this.runner.withUserConfiguration(PoisonTrigger.class).run((context) -> {
			PoisonTrigger trigger = context.getBean(PoisonTrigger.class);
			this.table.put("p", "r150", 2, "poison");
			this.table.put("p", "r151", 2, "after");
			trigger.handled.awaitUntil("r151"::equals, TIMEOUT);
			DeadLetterRedriver redriver = context.getBean(DeadLetterRedriver.class);

			DeadLetterRedriver.Result stillBroken = redriver.redrive("poison");
			trigger.fixed.set(true);
			DeadLetterRedriver.Result fixed = redriver.redrive("poison");

			assertThat(stillBroken).isEqualTo(new DeadLetterRedriver.Result(0, 1));
			assertThat(fixed).isEqualTo(new DeadLetterRedriver.Result(1, 0));
			assertThat(trigger.handled.all()).containsExactly("r151", "r150");
			assertThat(context.getBean(DynamoDbDeadLetterTable.class)
				.list("poison", Instant.EPOCH, Instant.now().plusSeconds(60))).isEmpty();
		});
	}

	@Test
	void propertiesOfAnUnknownTriggerFailTheStartNamingTheKnownOnes() {
		this.runner.withUserConfiguration(PoisonTrigger.class)
			.withPropertyValues("dynamo-trigger.triggers.poisson.retry.max-attempts=1")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("dynamo-trigger.triggers.poisson configures a trigger that does not exist")
				.hasMessageContaining("[poison]"));
	}

	@Test
	void retrySettingsOfOneTriggerOverrideTheGlobalOnes() {
		this.runner.withUserConfiguration(PoisonTrigger.class, RecordingDeadLetters.class)
			.withPropertyValues("dynamo-trigger.triggers.poison.retry.max-attempts=1")
			.run((context) -> {
				PoisonTrigger trigger = context.getBean(PoisonTrigger.class);
				this.table.put("p", "r150", 1, "poison");
				this.table.put("p", "r151", 1, "after");

				trigger.handled.awaitUntil("r151"::equals, TIMEOUT);

				assertThat(trigger.calls.get("r150")).hasValue(1);
				assertThat(context.getBean(RecordingDeadLetters.class).received).singleElement()
					.extracting((deadLetter) -> deadLetter.failure().attempts())
					.isEqualTo(1);
			});
	}

	private BigInteger checkpoint() {
		return this.table.client.scan((scan) -> scan.tableName(TestContexts.leaseTable(this.table)))
			.items()
			.stream()
			.map((lease) -> lease.get("checkpoint").s())
			.filter((checkpoint) -> checkpoint.chars().allMatch(Character::isDigit))
			.map(BigInteger::new)
			.findFirst()
			.orElse(BigInteger.ZERO);
	}

	private static void awaitAtLeast(AtomicInteger counter, int value) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (counter.get() < value && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(counter).hasValueGreaterThanOrEqualTo(value);
	}

	/**
	 * Fails on review r150 until fixed.
	 */
	static class PoisonTrigger {

		final Received<String> handled = new Received<>();

		final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

		final Map<String, String> sequenceNumbers = new ConcurrentHashMap<>();

		final AtomicBoolean fixed = new AtomicBoolean();

		@DynamoTrigger(table = "${test.table}", id = "poison")
		void onReview(ItemChange<Review> change) {
			String reviewId = change.keys().get("reviewId").s();
			this.calls.computeIfAbsent(reviewId, (id) -> new AtomicInteger()).incrementAndGet();
			this.sequenceNumbers.put(reviewId, change.sequenceNumber());
			if (reviewId.equals("r150") && !this.fixed.get()) {
				throw new IllegalStateException("poison " + reviewId);
			}
			this.handled.add(reviewId);
		}

	}

	/**
	 * Fails on its first two calls.
	 */
	static class FlakyTrigger {

		final Received<String> handled = new Received<>();

		final AtomicInteger calls = new AtomicInteger();

		@DynamoTrigger(table = "${test.table}")
		void onReview(ItemChange<Review> change) {
			if (this.calls.incrementAndGet() <= 2) {
				throw new IllegalStateException("not yet");
			}
			this.handled.add(change.keys().get("reviewId").s());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingDeadLetters {

		final List<DeadLetterRecord> received = new CopyOnWriteArrayList<>();

		final AtomicBoolean down = new AtomicBoolean();

		final AtomicInteger offers = new AtomicInteger();

		@Bean
		DeadLetterHandler recordingDeadLetterHandler() {
			return (deadLetter) -> {
				this.offers.incrementAndGet();
				if (this.down.get()) {
					throw new IllegalStateException("dead-letter destination down");
				}
				this.received.add(deadLetter);
			};
		}

	}

}
