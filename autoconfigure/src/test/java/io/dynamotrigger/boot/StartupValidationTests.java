package io.dynamotrigger.boot;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.ViewType;
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

	static class TwoParameterTrigger {

		@DynamoTrigger(table = "${test.table}")
		void onReview(Review review, String extra) {
		}

	}

}
