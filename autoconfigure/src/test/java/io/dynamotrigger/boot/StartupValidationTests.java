package io.dynamotrigger.boot;

import java.util.List;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.ViewType;
import io.dynamotrigger.listener.TriggerRegistry;
import io.dynamotrigger.status.TriggerStatus;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A trigger whose table or signature cannot work fails the application's start with a message that
 * names the table or method and what to change.
 */
@ExtendWith(LocalDynamoDbExtension.class)
class StartupValidationTests {

	@Test
	void missingTableFailsTheStartNamingTheTable(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local);

		TestContexts.runner(table).withUserConfiguration(NewAndOldImagesTrigger.class).run((context) ->
			assertThat(startupFailure(context))
				.contains("Table '" + table.name + "' does not exist")
				.contains("NewAndOldImagesTrigger.onReview]"));
	}

	@Test
	void tableWithoutStreamFailsTheStartSayingHowToEnableOne(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(null);

		TestContexts.runner(table).withUserConfiguration(NewAndOldImagesTrigger.class).run((context) ->
			assertThat(startupFailure(context))
				.contains("Table '" + table.name + "' has no stream")
				.contains("StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES"));
	}

	@Test
	void streamOfAnotherViewTypeFailsTheStartNamingBoth(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.KEYS_ONLY);

		TestContexts.runner(table).withUserConfiguration(NewAndOldImagesTrigger.class).run((context) ->
			assertThat(startupFailure(context))
				.contains("Table '" + table.name + "' has a stream of view type KEYS_ONLY")
				.contains("NewAndOldImagesTrigger.onReview' declares viewType = NEW_AND_OLD_IMAGES"));
	}

	@Test
	void triggersNeedingLessThanTheStreamCarriesStart(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);

		TestContexts.runner(table).withUserConfiguration(KeysOnlyAndNewImageTriggers.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(TriggerRegistry.class).status()).extracting(TriggerStatus::viewType)
				.containsExactlyInAnyOrder(ViewType.KEYS_ONLY, ViewType.NEW_IMAGE);
		});
	}

	@Test
	void streamCarryingTheOtherImageFailsTheStartNamingWhatItCarries(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_IMAGE);

		TestContexts.runner(table).withUserConfiguration(OldImageChangeTrigger.class).run((context) ->
			assertThat(startupFailure(context))
				.contains("Table '" + table.name + "' has a stream of view type NEW_IMAGE")
				.contains("OldImageChangeTrigger.onReview' declares viewType = OLD_IMAGE, which needs more than the"
						+ " stream carries")
				.contains("a stream that carries at least OLD_IMAGE (view type OLD_IMAGE or NEW_AND_OLD_IMAGES)")
				.contains("or declare a viewType that the stream carries: KEYS_ONLY or NEW_IMAGE."));
	}

	@Test
	void tableWithoutStreamNamesTheViewTypeThatCarriesWhatAllItsTriggersNeed(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(null);

		TestContexts.runner(table)
			.withUserConfiguration(KeysOnlyAndNewImageTriggers.class, OldImageChangeTrigger.class)
			.run((context) -> assertThat(startupFailure(context))
				.contains("StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES"));
	}

	@Test
	void handlerWithTwoParametersFailsTheStartNamingTheMethod(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);

		TestContexts.runner(table).withUserConfiguration(TwoParameterTrigger.class).run((context) ->
			assertThat(startupFailure(context))
				.contains(TwoParameterTrigger.class.getName()
						+ ".onReview must take one parameter, optionally followed by a TriggerContext")
				.contains("Accepted forms"));
	}

	@Test
	void invalidFilterPatternFailsTheStartNamingTheMethodAndThePosition(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);

		TestContexts.runner(table).withUserConfiguration(InvalidFilterTrigger.class).run((context) ->
			assertThat(startupFailure(context))
				.contains(InvalidFilterTrigger.class.getName() + ".onReview has an invalid filter")
				.contains("at dynamodb.NewImage.rating.N[0].numeric[0]: expected one of [=, <, <=, >, >=], not \"~\""));
	}

	@Test
	void itemParameterOnAnOldImageStreamForAllEventsFailsTheStartSayingWhatToChange(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.OLD_IMAGE);

		TestContexts.runner(table).withUserConfiguration(OldImageItemTrigger.class).run((context) ->
			assertThat(startupFailure(context))
				.contains(OldImageItemTrigger.class.getName() + ".onReview takes an item")
				.contains("Set events = REMOVE"));
	}

	@Test
	void batchSizeOutOfRangeFailsTheStartNamingTheMethodAndTheRange(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);

		TestContexts.runner(table).withUserConfiguration(ZeroBatchSizeTrigger.class).run((context) ->
			assertThat(startupFailure(context)).contains(ZeroBatchSizeTrigger.class.getName()
					+ ".onBatch has batchSize = \"0\"; set a number between 1 and 10000."));
	}

	@Test
	void batchSizeThatIsNoNumberFailsTheStartNamingTheMethod(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);

		TestContexts.runner(table).withPropertyValues("test.batch-size=many")
			.withUserConfiguration(PlaceholderBatchSizeTrigger.class).run((context) ->
			assertThat(startupFailure(context)).contains(PlaceholderBatchSizeTrigger.class.getName()
					+ ".onBatch has batchSize = \"many\"; set a number between 1 and 10000."));
	}

	@Test
	void batchWindowLongerThanFiveMinutesFailsTheStartNamingTheMethodAndTheRange(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);

		TestContexts.runner(table).withUserConfiguration(LongBatchWindowTrigger.class).run((context) ->
			assertThat(startupFailure(context)).contains(LongBatchWindowTrigger.class.getName()
					+ ".onBatch has batchWindow = \"6m\"; set a duration between 0 and 5m, e.g. 500ms, 5s or PT5S."));
	}

	@Test
	void batchWindowThatIsNoDurationFailsTheStartNamingTheMethod(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);

		TestContexts.runner(table).withUserConfiguration(UnparsableBatchWindowTrigger.class).run((context) ->
			assertThat(startupFailure(context)).contains(UnparsableBatchWindowTrigger.class.getName()
					+ ".onBatch has batchWindow = \"soon\"; set a duration between 0 and 5m"));
	}

	@Test
	void batchSizeOnAMethodThatTakesOneRecordFailsTheStartSayingWhatToChange(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);

		TestContexts.runner(table).withUserConfiguration(PerRecordBatchSizeTrigger.class).run((context) ->
			assertThat(startupFailure(context)).contains(PerRecordBatchSizeTrigger.class.getName()
					+ ".onReview sets batchSize, but takes one record per call; remove batchSize and"
					+ " batchWindow, or take a List<ItemChange<T>>."));
	}

	@Test
	void batchSizePropertyOutOfRangeFailsTheStartNamingTheProperty(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);

		TestContexts.runner(table)
			.withPropertyValues("test.batch-size=100", "dynamo-trigger.triggers.batches.batch-size=10001")
			.withUserConfiguration(PlaceholderBatchSizeTrigger.class)
			.run((context) -> assertThat(startupFailure(context)).contains(
					"dynamo-trigger.triggers.batches.batch-size is 10001; set a number between 1 and 10000."));
	}

	@Test
	void negativeBatchWindowPropertyFailsTheStartNamingTheProperty(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);

		TestContexts.runner(table)
			.withPropertyValues("test.batch-size=100", "dynamo-trigger.triggers.batches.batch-window=-1s")
			.withUserConfiguration(PlaceholderBatchSizeTrigger.class)
			.run((context) -> assertThat(startupFailure(context)).contains(
					"dynamo-trigger.triggers.batches.batch-window is PT-1S; set a duration between 0 and 5m"));
	}

	@Test
	void batchWindowPropertyOfATriggerThatTakesOneRecordFailsTheStartSayingWhatToChange(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);

		TestContexts.runner(table)
			.withPropertyValues("dynamo-trigger.triggers.records.batch-window=5s")
			.withUserConfiguration(PerRecordTrigger.class)
			.run((context) -> assertThat(startupFailure(context)).contains(
					"dynamo-trigger.triggers.records.batch-window is set, but the trigger's method "
							+ PerRecordTrigger.class.getName() + ".onReview takes one record per call; remove the"
							+ " property, or make the method take a List<ItemChange<T>>."));
	}

	private static String startupFailure(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = context.getStartupFailure(); cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
		}
		return messages.toString();
	}

	static class NewAndOldImagesTrigger {

		@DynamoTrigger(table = "${test.table}", viewType = ViewType.NEW_AND_OLD_IMAGES)
		void onReview(ItemChange<Review> change) {
		}

	}

	static class KeysOnlyAndNewImageTriggers {

		@DynamoTrigger(id = "keys", table = "${test.table}", viewType = ViewType.KEYS_ONLY)
		void onKeys(ItemChange<Review> change) {
		}

		@DynamoTrigger(id = "new", table = "${test.table}", viewType = ViewType.NEW_IMAGE)
		void onNew(ItemChange<Review> change) {
		}

	}

	static class OldImageChangeTrigger {

		@DynamoTrigger(table = "${test.table}", viewType = ViewType.OLD_IMAGE)
		void onReview(ItemChange<Review> change) {
		}

	}

	static class InvalidFilterTrigger {

		@DynamoTrigger(table = "${test.table}",
				filter = "{\"dynamodb\": {\"NewImage\": {\"rating\": {\"N\": [{\"numeric\": [\"~\", 3]}]}}}}")
		void onReview(ItemChange<Review> change) {
		}

	}

	static class OldImageItemTrigger {

		@DynamoTrigger(table = "${test.table}", viewType = ViewType.OLD_IMAGE)
		void onReview(Review review) {
		}

	}

	static class ZeroBatchSizeTrigger {

		@DynamoTrigger(table = "${test.table}", batchSize = "0")
		void onBatch(List<ItemChange<Review>> batch) {
		}

	}

	static class PlaceholderBatchSizeTrigger {

		@DynamoTrigger(table = "${test.table}", id = "batches", batchSize = "${test.batch-size}")
		void onBatch(List<ItemChange<Review>> batch) {
		}

	}

	static class LongBatchWindowTrigger {

		@DynamoTrigger(table = "${test.table}", batchWindow = "6m")
		void onBatch(List<ItemChange<Review>> batch) {
		}

	}

	static class UnparsableBatchWindowTrigger {

		@DynamoTrigger(table = "${test.table}", batchWindow = "soon")
		void onBatch(List<ItemChange<Review>> batch) {
		}

	}

	static class PerRecordBatchSizeTrigger {

		@DynamoTrigger(table = "${test.table}", batchSize = "10")
		void onReview(ItemChange<Review> change) {
		}

	}

	static class PerRecordTrigger {

		@DynamoTrigger(table = "${test.table}", id = "records")
		void onReview(ItemChange<Review> change) {
		}

	}

	static class TwoParameterTrigger {

		@DynamoTrigger(table = "${test.table}")
		void onReview(Review review, String extra) {
		}

	}

}
