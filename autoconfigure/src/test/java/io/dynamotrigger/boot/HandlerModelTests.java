package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.TriggerContext;
import io.dynamotrigger.ViewType;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The handler signatures, filters and view types on the local endpoint. Several triggers share one table
 * (and so one consumer) in most tests: each gets the records it asks for, in its own shape.
 */
@ExtendWith(LocalDynamoDbExtension.class)
class HandlerModelTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@Test
	void untypedRawAndBatchTriggersOnOneTableEachGetEveryChangeInTheirShape(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		TestContexts.runner(table)
			.withUserConfiguration(UntypedTrigger.class, RawTrigger.class, BatchTrigger.class)
			.run((context) -> {
				table.put("p1", "r1", 4, "good");
				table.put("p1", "r1", 2, "worse");
				table.remove("p1", "r1");

				List<ItemChange<Map<String, AttributeValue>>> untyped = context.getBean(UntypedTrigger.class).received
					.awaitCount(3, TIMEOUT);
				List<Call> raw = context.getBean(RawTrigger.class).received.awaitCount(3, TIMEOUT);
				List<ItemChange<Review>> batched = context.getBean(BatchTrigger.class).changes
					.awaitCount(3, TIMEOUT);

				assertThat(untyped).extracting((change) -> rating(change.oldImage()),
						(change) -> rating(change.newImage()))
					.containsExactly(tuple(null, "4"), tuple("4", "2"), tuple("2", null));
				assertThat(raw).extracting((call) -> call.record().eventName())
					.containsExactly(OperationType.INSERT, OperationType.MODIFY, OperationType.REMOVE);
				assertThat(raw).allSatisfy((call) -> {
					assertThat(call.context().triggerId()).isEqualTo("raw");
					assertThat(call.context().table()).isEqualTo(table.name);
					assertThat(call.context().shardId()).isNotBlank();
					assertThat(call.context().sequenceNumber()).isEqualTo(call.record().dynamodb().sequenceNumber());
					assertThat(call.context().attempt()).isEqualTo(1);
					assertThat(call.context().approximateCreationTime()).isNotNull();
				});
				assertThat(batched).extracting(ItemChange::eventType)
					.containsExactly(EventType.INSERT, EventType.MODIFY, EventType.REMOVE);
				assertThat(batched.get(1).newImage().getText()).isEqualTo("worse");
				assertThat(batched.get(1).changedAttributes()).containsExactlyInAnyOrder("rating", "text");
				assertThat(batched.get(1).keys(ReviewKey.class).getReviewId()).isEqualTo("r1");
				assertThat(batched.get(1).sizeBytes()).isPositive();
				List<TriggerContext> batches = context.getBean(BatchTrigger.class).contexts.all();
				assertThat(batches).last()
					.satisfies((last) -> assertThat(last.sequenceNumber()).isEqualTo(batched.get(2).sequenceNumber()));
			});
	}

	@Test
	void changedFilterPatternsAndConfiguredPatternsCallTriggersOnlyForMatchingRecords(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		TestContexts.runner(table)
			.withPropertyValues("dynamo-trigger.triggers.configured.filter[0]="
					+ "{\"dynamodb\": {\"NewImage\": {\"text\": {\"S\": [\"first\"]}}}}")
			.withUserConfiguration(RatingChangedTrigger.class, UrgentTextTrigger.class, GoodOrGoneTrigger.class,
					ConfiguredFilterTrigger.class)
			.run((context) -> {
				table.put("p1", "r1", 3, "first");
				table.put("p1", "r1", 3, "urgent: text only");
				table.put("p1", "r1", 5, "urgent: rating too");
				table.remove("p1", "r1");
				table.put("p1", "marker", 1, "marker");

				List<String> ratingChanged = context.getBean(RatingChangedTrigger.class).received
					.awaitUntil((text) -> text.equals("INSERT marker"), TIMEOUT);
				List<String> urgent = context.getBean(UrgentTextTrigger.class).received.all();
				List<String> goodOrGone = context.getBean(GoodOrGoneTrigger.class).received.all();
				List<String> configured = context.getBean(ConfiguredFilterTrigger.class).received.all();

				assertThat(ratingChanged).containsExactly("INSERT first", "MODIFY urgent: rating too",
						"REMOVE urgent: rating too", "INSERT marker");
				assertThat(urgent).containsExactly("MODIFY urgent: text only", "MODIFY urgent: rating too");
				assertThat(goodOrGone).containsExactly("MODIFY urgent: rating too", "REMOVE urgent: rating too");
				assertThat(configured).containsExactly("INSERT first");
			});
	}

	@Test
	void keysOnlyStreamGivesItemChangesWithKeysAndNoImages(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.KEYS_ONLY);
		TestContexts.runner(table).withUserConfiguration(KeysOnlyTrigger.class).run((context) -> {
			table.put("p1", "r1", 4, "good");
			table.remove("p1", "r1");

			List<ItemChange<Review>> changes = context.getBean(KeysOnlyTrigger.class).received.awaitCount(2, TIMEOUT);

			assertThat(changes).extracting(ItemChange::eventType).containsExactly(EventType.INSERT, EventType.REMOVE);
			assertThat(changes).allSatisfy((change) -> {
				assertThat(change.oldImage()).isNull();
				assertThat(change.newImage()).isNull();
				assertThat(change.keys(ReviewKey.class).getProductId()).isEqualTo("p1");
			});
		});
	}

	@Test
	void oldImageStreamGivesRemoveTriggersTheDeletedItemAndNewImageStreamsNoOldImage(LocalDynamoDb local) {
		ReviewsTable oldImages = new ReviewsTable(local).create(StreamViewType.OLD_IMAGE);
		ReviewsTable newImages = new ReviewsTable(local).create(StreamViewType.NEW_IMAGE);
		TestContexts.runner(oldImages)
			.withPropertyValues("test.new-image-table=" + newImages.name)
			.withUserConfiguration(DeletedItemTrigger.class, NewImageTrigger.class)
			.run((context) -> {
				oldImages.put("p1", "r1", 4, "before delete");
				oldImages.remove("p1", "r1");
				newImages.put("p1", "r1", 4, "one");
				newImages.put("p1", "r1", 5, "two");

				List<Review> deleted = context.getBean(DeletedItemTrigger.class).received.awaitCount(1, TIMEOUT);
				List<ItemChange<Review>> changes = context.getBean(NewImageTrigger.class).received
					.awaitCount(2, TIMEOUT);

				assertThat(deleted).extracting(Review::getText).containsExactly("before delete");
				assertThat(changes).extracting((change) -> change.newImage().getText()).containsExactly("one", "two");
				assertThat(changes).extracting(ItemChange::oldImage).containsOnlyNulls();
			});
	}

	private static String rating(Map<String, AttributeValue> image) {
		return (image != null) ? image.get("rating").n() : null;
	}

	private static String describe(ItemChange<Review> change) {
		Review review = (change.newImage() != null) ? change.newImage() : change.oldImage();
		return change.eventType() + " " + review.getText();
	}

	record Call(Record record, TriggerContext context) {
	}

	static class UntypedTrigger {

		final Received<ItemChange<Map<String, AttributeValue>>> received = new Received<>();

		@DynamoTrigger(table = "${test.table}")
		void onChange(ItemChange<Map<String, AttributeValue>> change) {
			this.received.add(change);
		}

	}

	static class RawTrigger {

		final Received<Call> received = new Received<>();

		@DynamoTrigger(table = "${test.table}", id = "raw")
		void onRecord(Record record, TriggerContext context) {
			this.received.add(new Call(record, context));
		}

	}

	static class BatchTrigger {

		final Received<ItemChange<Review>> changes = new Received<>();

		final Received<TriggerContext> contexts = new Received<>();

		@DynamoTrigger(table = "${test.table}")
		void onBatch(List<ItemChange<Review>> batch, TriggerContext context) {
			this.contexts.add(context);
			batch.forEach(this.changes::add);
		}

	}

	static class RatingChangedTrigger {

		final Received<String> received = new Received<>();

		@DynamoTrigger(table = "${test.table}", changed = "rating")
		void onChange(ItemChange<Review> change) {
			this.received.add(describe(change));
		}

	}

	static class UrgentTextTrigger {

		final Received<String> received = new Received<>();

		@DynamoTrigger(table = "${test.table}",
				filter = "{\"eventName\": [\"MODIFY\"], \"dynamodb\": {\"NewImage\": {\"text\": {\"S\": [{\"prefix\": \"urgent\"}]}}}}")
		void onChange(ItemChange<Review> change) {
			this.received.add(describe(change));
		}

	}

	static class GoodOrGoneTrigger {

		final Received<String> received = new Received<>();

		@DynamoTrigger(table = "${test.table}", filter = {
				"{\"dynamodb\": {\"NewImage\": {\"rating\": {\"N\": [{\"numeric\": [\">=\", 4]}]}}}}",
				"{\"eventName\": [\"REMOVE\"], \"dynamodb\": {\"Keys\": {\"reviewId\": {\"S\": [{\"anything-but\": \"marker\"}]}}}}" })
		void onChange(ItemChange<Review> change) {
			this.received.add(describe(change));
		}

	}

	static class ConfiguredFilterTrigger {

		final Received<String> received = new Received<>();

		@DynamoTrigger(table = "${test.table}", id = "configured", filter = "{\"eventName\": [\"REMOVE\"]}")
		void onChange(ItemChange<Review> change) {
			this.received.add(describe(change));
		}

	}

	static class KeysOnlyTrigger {

		final Received<ItemChange<Review>> received = new Received<>();

		@DynamoTrigger(table = "${test.table}", viewType = ViewType.KEYS_ONLY)
		void onChange(ItemChange<Review> change) {
			this.received.add(change);
		}

	}

	static class DeletedItemTrigger {

		final Received<Review> received = new Received<>();

		@DynamoTrigger(table = "${test.table}", viewType = ViewType.OLD_IMAGE, events = EventType.REMOVE)
		void onDelete(Review deleted) {
			this.received.add(deleted);
		}

	}

	static class NewImageTrigger {

		final Received<ItemChange<Review>> received = new Received<>();

		@DynamoTrigger(table = "${test.new-image-table}", viewType = ViewType.NEW_IMAGE)
		void onChange(ItemChange<Review> change) {
			this.received.add(change);
		}

	}

}
