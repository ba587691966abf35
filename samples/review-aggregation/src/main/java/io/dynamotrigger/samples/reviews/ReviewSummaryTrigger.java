package io.dynamotrigger.samples.reviews;

import java.math.BigInteger;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.ViewType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The trigger: keeps each product's review count and average rating exact as reviews are added,
 * re-rated and deleted.
 */
class ReviewSummaryTrigger {

	private static final Logger log = LoggerFactory.getLogger(ReviewSummaryTrigger.class);

	private final ReviewTables tables;

	private final AtomicLong firstCallMillis = new AtomicLong();

	ReviewSummaryTrigger(ReviewTables tables) {
		this.tables = tables;
	}

	/**
	 * Counts a review, counts it with its new rating, or no longer counts it. The application's properties
	 * ask for a backfill ({@code dynamo-trigger.triggers.[reviewSummaryTrigger.onReview].backfill}): the
	 * reviews written before it started come first, from a scan of the table, as backfill changes.
	 */
	@DynamoTrigger(table = "Reviews", viewType = ViewType.NEW_AND_OLD_IMAGES,
			events = { EventType.INSERT, EventType.MODIFY, EventType.REMOVE })
	void onReview(ItemChange<Review> change) {
		this.firstCallMillis.compareAndSet(0, System.currentTimeMillis());
		String productId = change.keys().get("productId").s();
		String reviewId = reviewId(change);
		Integer rating = (change.newImage() != null) ? change.newImage().getRating() : null;
		// A backfill change has no place in the stream's order: it comes before the stream's changes.
		BigInteger sequenceNumber = change.isBackfill() ? null : new BigInteger(change.sequenceNumber());
		ProductSummary summary = this.tables.summaries
			.getItem((get) -> get.key(Key.builder().partitionValue(productId).build()).consistentRead(true));
		if (sequenceNumber != null && summary != null && summary.getLastSequenceNumber() != null
				&& summary.getLastSequenceNumber().compareTo(sequenceNumber) >= 0) {
			log.info("Record {} was applied already (delivered again): skipping it", sequenceNumber);
			return;
		}
		Integer counted = (summary != null) ? summary.counted(reviewId) : null;
		if (summary != null && Objects.equals(counted, rating)) {
			log.info("{} of review {}: {}, summary stays", change.eventType(), reviewId,
					(change.eventType() == EventType.MODIFY) ? "rating unchanged" : "counted already");
			return;
		}
		if (summary == null) {
			summary = new ProductSummary();
			summary.setProductId(productId);
		}
		summary.apply(reviewId, rating, sequenceNumber);
		try {
			this.tables.summaries.putItem(summary);
		}
		catch (ConditionalCheckFailedException ex) {
			// Someone else wrote the summary since the read (its version): fail, so that the trigger is called
			// again.
			throw new IllegalStateException("Summary of " + productId + " changed concurrently; retrying", ex);
		}
		log.info("{} of review {}: {} now has {} reviews, average rating {}",
				change.isBackfill() ? "Backfill" : change.eventType(), reviewId, productId, summary.getReviewCount(),
				String.format("%.2f", summary.getAverageRating()));
	}

	/**
	 * Returns when the trigger was first called (epoch milliseconds), or 0.
	 */
	long firstCallMillis() {
		return this.firstCallMillis.get();
	}

	private static String reviewId(ItemChange<Review> change) {
		return change.keys().get("reviewId").s();
	}

}
