package io.dynamotrigger.boot;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.ViewType;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A real Spring context with the auto-configuration, on the local DynamoDB endpoint: writes go in with
 * the SDK, and the triggers' calls come out.
 */
@ExtendWith({ LocalDynamoDbExtension.class, OutputCaptureExtension.class })
class TriggerEndToEndTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private ReviewsTable table;

	private ApplicationContextRunner runner;

	@BeforeEach
	void createTable(LocalDynamoDb local) {
		this.table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		this.runner = TestContexts.runner(this.table);
	}

	@Test
	void insertModifyAndRemoveArriveTypedInWriteOrderWithTheirImages() {
		this.runner.withUserConfiguration(ChangeTrigger.class).run((context) -> {
			this.table.put("p1", "r1", 4, "good");
			this.table.put("p1", "r1", 2, "worse on second look");
			this.table.remove("p1", "r1");

			List<ItemChange<Review>> changes = context.getBean(ChangeTrigger.class).received.awaitCount(3, TIMEOUT);

			assertThat(changes).extracting(ItemChange::eventType)
				.containsExactly(EventType.INSERT, EventType.MODIFY, EventType.REMOVE);
			assertThat(changes).extracting((change) -> rating(change.oldImage()), (change) -> rating(change.newImage()))
				.containsExactly(tuple(null, 4), tuple(4, 2), tuple(2, null));
			assertThat(changes.get(1).newImage().getText()).isEqualTo("worse on second look");
			assertThat(changes).allSatisfy((change) -> {
				assertThat(change.keys()).containsOnlyKeys("productId", "reviewId");
				assertThat(change.keys().get("reviewId").s()).isEqualTo("r1");
				assertThat(change.sequenceNumber()).isNotBlank();
				assertThat(change.eventId()).isNotBlank();
				assertThat(change.approximateCreationTime()).isNotNull();
			});
			assertThat(changes).extracting((change) -> new BigInteger(change.sequenceNumber()))
				.isSorted();
		});
	}

	@Test
	void itemParameterReceivesTheNewImageOrTheOldImageOfARemove() {
		this.runner.withUserConfiguration(ItemTrigger.class).run((context) -> {
			this.table.put("p1", "r1", 5, "first");
			this.table.put("p1", "r1", 3, "second");
			this.table.remove("p1", "r1");

			List<Review> items = context.getBean(ItemTrigger.class).received.awaitCount(3, TIMEOUT);

			assertThat(items).extracting(Review::getText).containsExactly("first", "second", "second");
			assertThat(items).extracting(Review::getRating).containsExactly(5, 3, 3);
		});
	}

	@Test
	void eventsFilterCallsTheTriggerOnlyForTheListedEvents() {
		this.runner.withUserConfiguration(InsertTrigger.class).run((context) -> {
			this.table.put("p1", "r1", 4, "a");
			this.table.put("p1", "r1", 5, "b");
			this.table.remove("p1", "r1");
			this.table.put("p1", "r2", 1, "last");

			List<ItemChange<Review>> changes = context.getBean(InsertTrigger.class).received
				.awaitUntil((change) -> reviewId(change).equals("r2"), TIMEOUT);

			assertThat(changes).extracting(ItemChange::eventType).containsExactly(EventType.INSERT, EventType.INSERT);
			assertThat(changes).extracting((change) -> change.newImage().getText()).containsExactly("a", "last");
		});
	}

	@Test
	void restartResumesFromTheCheckpointWithNothingLostAndNothingRepeated() {
		this.runner.withUserConfiguration(ChangeTrigger.class).run((context) -> {
			IntStream.range(0, 20).forEach((i) -> this.table.put("p", "before-" + i, 3, "x"));
			context.getBean(ChangeTrigger.class).received.awaitCount(20, TIMEOUT);
		});
		IntStream.range(0, 20).forEach((i) -> this.table.put("p", "stopped-" + i, 3, "x"));

		this.runner.withUserConfiguration(ChangeTrigger.class).run((context) -> {
			Received<ItemChange<Review>> received = context.getBean(ChangeTrigger.class).received;
			received.awaitCount(20, TIMEOUT);
			this.table.put("p", "marker", 1, "after restart");

			List<ItemChange<Review>> changes = received.awaitUntil((change) -> reviewId(change).equals("marker"),
					TIMEOUT);

			List<String> expected = new ArrayList<>(
					IntStream.range(0, 20).mapToObj((i) -> "stopped-" + i).toList());
			expected.add("marker");
			assertThat(changes).extracting(TriggerEndToEndTests::reviewId).containsExactlyElementsOf(expected);
		});
	}

	@Test
	void recreatedTableIsReadFromItsStartNotFromTheOldStreamsCheckpoint(CapturedOutput output) {
		this.runner.withUserConfiguration(ChangeTrigger.class).run((context) -> {
			IntStream.range(0, 5).forEach((i) -> this.table.put("p", "old-" + i, 3, "x"));
			context.getBean(ChangeTrigger.class).received.awaitCount(5, TIMEOUT);
		});
		this.table.delete();
		this.table.create(StreamViewType.NEW_AND_OLD_IMAGES);
		IntStream.range(0, 3).forEach((i) -> this.table.put("p", "new-" + i, 3, "x"));

		this.runner.withUserConfiguration(ChangeTrigger.class).run((context) -> {
			List<ItemChange<Review>> changes = context.getBean(ChangeTrigger.class).received
				.awaitUntil((change) -> reviewId(change).equals("new-2"), TIMEOUT);

			assertThat(changes).extracting(TriggerEndToEndTests::reviewId).containsExactly("new-0", "new-1", "new-2");
			assertThat(output).containsPattern("Older stream \\S+ of table " + this.table.name + " has nothing left to read");
		});
	}

	private static String reviewId(ItemChange<Review> change) {
		return change.keys().get("reviewId").s();
	}

	private static Integer rating(Review review) {
		return (review != null) ? review.getRating() : null;
	}

	static class ChangeTrigger {

		final Received<ItemChange<Review>> received = new Received<>();

		@DynamoTrigger(table = "${test.table}", viewType = ViewType.NEW_AND_OLD_IMAGES)
		void onReview(ItemChange<Review> change) {
			this.received.add(change);
		}

	}

	static class InsertTrigger {

		final Received<ItemChange<Review>> received = new Received<>();

		@DynamoTrigger(table = "${test.table}", events = EventType.INSERT)
		void onInsert(ItemChange<Review> change) {
			this.received.add(change);
		}

	}

	static class ItemTrigger {

		final Received<Review> received = new Received<>();

		@DynamoTrigger(table = "${test.table}")
		void onReview(Review review) {
			this.received.add(review);
		}

	}

}
