package io.dynamotrigger.samples.reviews;

import java.math.BigInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.ViewType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
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

	@DynamoTrigger(table = "Reviews", viewType = ViewType.NEW_AND_OLD_IMAGES,
			events = { EventType.INSERT, EventType.MODIFY, EventType.REMOVE })
	void onReview(ItemChange<Review> change) {
		this.firstCallMillis.compareAndSet(0, System.currentTimeMillis());
		Review before = change.oldImage();
		Review after = change.newImage();
		long countDelta = (after != null ? 1 : 0) - (before != null ? 1 : 0);
		long ratingDelta = rating(after) - rating(before);
		if (countDelta == 0 && ratingDelta == 0) {
			log.info("{} of review {}: rating unchanged, summary stays", change.eventType(), reviewId(change));
			return;
		}
		String productId = change.keys().get("productId").s();
		BigInteger sequenceNumber = new BigInteger(change.sequenceNumber());
		ProductSummary summary = this.tables.summaries
			.getItem((get) -> get.key(Key.builder().partitionValue(productId).build()).consistentRead(true));
		if (summary != null && summary.getLastSequenceNumber().compareTo(sequenceNumber) >= 0) {
			log.info("Record {} was applied already (delivered again): skipping it", sequenceNumber);
			return;
		}
		Expression unchangedSinceRead = (summary == null) ? Expression.builder()
			.expression("attribute_not_exists(productId)")
			.build()
				: Expression.builder()
					.expression("lastSequenceNumber = :read")
					.putExpressionValue(":read", AttributeValue.fromN(summary.getLastSequenceNumber().toString()))
					.build();
		if (summary == null) {
			summary = new ProductSummary();
			summary.setProductId(productId);
		}
		summary.apply(countDelta, ratingDelta, sequenceNumber);
		try {
			this.tables.summaries.putItem(PutItemEnhancedRequest.builder(ProductSummary.class)
				.item(summary)
				.conditionExpression(unchangedSinceRead)
				.build());
		}
		catch (ConditionalCheckFailedException ex) {
			// Someone else wrote the summary since the read: fail, so that the trigger is called again.
			throw new IllegalStateException("Summary of " + productId + " changed concurrently; retrying", ex);
		}
		log.info("{} of review {}: {} now has {} reviews, average rating {}", change.eventType(), reviewId(change),
				productId, summary.getReviewCount(), String.format("%.2f", summary.getAverageRating()));
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

	private static int rating(Review review) {
		return (review != null) ? review.getRating() : 0;
	}

}
