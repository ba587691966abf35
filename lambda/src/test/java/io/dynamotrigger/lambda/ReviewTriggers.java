package io.dynamotrigger.lambda;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.TriggerContext;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The triggers both runtimes drive: a per-record trigger, a batch trigger and a filtered one on one table.
 * Each writes what it was called with as a line, so the two runtimes' calls compare as text. A record whose
 * new text is "boom" fails the per-record trigger.
 */
class ReviewTriggers {

	final List<String> calls = new CopyOnWriteArrayList<>();

	@DynamoTrigger(table = "${test.table}", id = "every")
	void every(ItemChange<Review> change, TriggerContext context) {
		if (change.newImage() != null && "boom".equals(change.newImage().getText())) {
			throw new IllegalStateException("boom");
		}
		this.calls.add("every " + describe(change) + " attempt " + context.attempt());
	}

	@DynamoTrigger(table = "${test.table}", id = "batch")
	void batch(List<ItemChange<Review>> changes) {
		changes.forEach((change) -> this.calls.add("batch " + describe(change)));
	}

	@DynamoTrigger(table = "${test.table}", id = "ratingChanged", events = EventType.MODIFY, changed = "rating")
	void ratingChanged(ItemChange<Review> change) {
		this.calls.add("ratingChanged " + describe(change));
	}

	List<String> calls(String trigger) {
		return this.calls.stream().filter((call) -> call.startsWith(trigger + " ")).toList();
	}

	private static String describe(ItemChange<Review> change) {
		return change.eventType() + " " + change.keys().get("productId").s() + "/" + change.keys().get("reviewId").s()
				+ " " + rating(change.oldImage()) + "->" + rating(change.newImage()) + " " + text(change.newImage())
				+ " changed " + new java.util.TreeSet<>(change.changedAttributes());
	}

	private static String rating(Review review) {
		return (review != null) ? Integer.toString(review.getRating()) : "-";
	}

	private static String text(Review review) {
		return (review != null) ? "'" + review.getText() + "'" : "-";
	}

	/**
	 * The application: the triggers and Boot's auto-configuration, as a user's {@code @SpringBootApplication}
	 * would have them.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ReviewTriggers.class)
	static class Application {

	}

}
