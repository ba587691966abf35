package io.dynamotrigger.boot;

import java.util.List;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.WindowContext;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A window trigger that cannot work fails the start with a message naming the method and what to change.
 */
@ExtendWith(LocalDynamoDbExtension.class)
class WindowStartupTests {

	@Test
	void aWindowThatDoesNotDivideAnHourFailsTheStartNamingTheAllowedLengths(LocalDynamoDb local) {
		assertThat(startupFailure(local, "7s", TallyWindow.class)).contains("@DynamoTrigger method "
				+ TallyWindow.class.getName() + ".onWindow has window = \"7s\"; set a whole number of seconds from 1s to"
				+ " 15m that divides an hour, e.g. 10s, 30s, 1m (PT1M), 5m or 15m.");
	}

	@Test
	void aWindowLongerThanFifteenMinutesFailsTheStart(LocalDynamoDb local) {
		assertThat(startupFailure(local, "PT20M", TallyWindow.class))
			.contains(".onWindow has window = \"PT20M\"; set a whole number of seconds from 1s to 15m");
	}

	@Test
	void aWindowOfFractionsOfASecondFailsTheStart(LocalDynamoDb local) {
		assertThat(startupFailure(local, "1500ms", TallyWindow.class))
			.contains(".onWindow has window = \"1500ms\"; set a whole number of seconds");
	}

	@Test
	void aWindowMethodThatReturnsNoStateFailsTheStartShowingTheForm(LocalDynamoDb local) {
		assertThat(startupFailure(local, "1m", VoidWindow.class)).contains("@DynamoTrigger method "
				+ VoidWindow.class.getName() + ".onWindow sets window, so it must return the new state, of the same"
				+ " type as its state parameter; it takes " + Tally.class.getName() + " and returns void. A window"
				+ " method is S m(List<ItemChange<T>> changes, S state, WindowContext context)");
	}

	@Test
	void aWindowMethodThatTakesOneRecordFailsTheStartShowingTheForm(LocalDynamoDb local) {
		assertThat(startupFailure(local, "1m", RecordWindow.class)).contains("@DynamoTrigger method "
				+ RecordWindow.class.getName() + ".onWindow sets window, but takes [ItemChange, Tally, WindowContext]."
				+ " A window method is S m(List<ItemChange<T>> changes, S state, WindowContext context)");
	}

	@Test
	void aWindowWithABatchSizeFailsTheStartSayingWhatToRemove(LocalDynamoDb local) {
		assertThat(startupFailure(local, "1m", BatchSizeWindow.class)).contains("@DynamoTrigger method "
				+ BatchSizeWindow.class.getName() + ".onWindow sets window and batchSize; a window method is called"
				+ " with each read's records of a window: remove batchSize and batchWindow.");
	}

	@Test
	void aWindowWithABackfillFailsTheStartSayingWhatToTurnOff(LocalDynamoDb local) {
		assertThat(startupFailure(local, "1m", BackfillWindow.class))
			.containsPattern("Trigger '\\S+BackfillWindow.onWindow' is a tumbling-window method and asks for a backfill;")
			.contains(".backfill=false");
	}

	@Test
	void anIdempotentWindowFailsTheStartSayingWhatToRemove(LocalDynamoDb local) {
		assertThat(startupFailure(local, "1m", IdempotentWindow.class))
			.containsPattern("Trigger '\\S+IdempotentWindow.onWindow' is a tumbling-window method and idempotent;")
			.contains("Remove idempotent");
	}

	private static String startupFailure(LocalDynamoDb local, String window, Class<?> trigger) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		StringBuilder messages = new StringBuilder();
		TestContexts.runner(table)
			.withPropertyValues("test.window=" + window)
			.withUserConfiguration(trigger)
			.run((context) -> messages.append(failure(context)));
		return messages.toString();
	}

	private static String failure(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = context.getStartupFailure(); cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
		}
		return messages.toString();
	}

	record Tally(int count) {
	}

	static class TallyWindow {

		@DynamoTrigger(table = "${test.table}", window = "${test.window}")
		Tally onWindow(List<ItemChange<Review>> changes, Tally state, WindowContext context) {
			return state;
		}

	}

	static class VoidWindow {

		@DynamoTrigger(table = "${test.table}", window = "${test.window}")
		void onWindow(List<ItemChange<Review>> changes, Tally state, WindowContext context) {
		}

	}

	static class RecordWindow {

		@DynamoTrigger(table = "${test.table}", window = "${test.window}")
		Tally onWindow(ItemChange<Review> change, Tally state, WindowContext context) {
			return state;
		}

	}

	static class BackfillWindow {

		@DynamoTrigger(table = "${test.table}", window = "${test.window}", backfill = "true")
		Tally onWindow(List<ItemChange<Review>> changes, Tally state, WindowContext context) {
			return state;
		}

	}

	static class IdempotentWindow {

		@DynamoTrigger(table = "${test.table}", window = "${test.window}", idempotent = "true")
		Tally onWindow(List<ItemChange<Review>> changes, Tally state, WindowContext context) {
			return state;
		}

	}

	static class BatchSizeWindow {

		@DynamoTrigger(table = "${test.table}", window = "${test.window}", batchSize = "10")
		Tally onWindow(List<ItemChange<Review>> changes, Tally state, WindowContext context) {
			return state;
		}

	}

}
