package io.dynamotrigger.samples.reviews;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.extensions.annotations.DynamoDbVersionAttribute;

/**
 * An item of the {@code ProductSummary} table, kept by the trigger: how many reviews a product has and
 * their average rating, from the rating it counted for each review ({@code ratings}), so that a review
 * delivered twice (the backfill's scan and the stream, at the seam between them) counts once.
 * {@code lastSequenceNumber} is the stream record applied last, so that a stream record delivered again
 * (delivery is at least once) is not applied over a later one; {@code version} guards each write against
 * another one made since the read (the backfill calls the trigger from several threads).
 */
@DynamoDbBean
public class ProductSummary {

	private String productId;

	private long reviewCount;

	private long ratingSum;

	private double averageRating;

	private BigInteger lastSequenceNumber;

	private Map<String, Integer> ratings = new HashMap<>();

	private Long version;

	@DynamoDbPartitionKey
	public String getProductId() {
		return this.productId;
	}

	public void setProductId(String productId) {
		this.productId = productId;
	}

	public long getReviewCount() {
		return this.reviewCount;
	}

	public void setReviewCount(long reviewCount) {
		this.reviewCount = reviewCount;
	}

	public long getRatingSum() {
		return this.ratingSum;
	}

	public void setRatingSum(long ratingSum) {
		this.ratingSum = ratingSum;
	}

	public double getAverageRating() {
		return this.averageRating;
	}

	public void setAverageRating(double averageRating) {
		this.averageRating = averageRating;
	}

	public BigInteger getLastSequenceNumber() {
		return this.lastSequenceNumber;
	}

	public void setLastSequenceNumber(BigInteger lastSequenceNumber) {
		this.lastSequenceNumber = lastSequenceNumber;
	}

	public Map<String, Integer> getRatings() {
		return this.ratings;
	}

	public void setRatings(Map<String, Integer> ratings) {
		this.ratings = (ratings != null) ? new HashMap<>(ratings) : new HashMap<>();
	}

	@DynamoDbVersionAttribute
	public Long getVersion() {
		return this.version;
	}

	public void setVersion(Long version) {
		this.version = version;
	}

	/**
	 * Returns the rating counted for a review, or {@code null} if it is not counted.
	 */
	Integer counted(String reviewId) {
		return this.ratings.get(reviewId);
	}

	/**
	 * Counts a review with its rating, or no longer counts it.
	 * @param reviewId the review
	 * @param rating its rating, or {@code null} for a deleted review
	 * @param sequenceNumber the stream record applied, or {@code null} for a backfill change
	 */
	void apply(String reviewId, Integer rating, BigInteger sequenceNumber) {
		if (rating != null) {
			this.ratings.put(reviewId, rating);
		}
		else {
			this.ratings.remove(reviewId);
		}
		this.reviewCount = this.ratings.size();
		this.ratingSum = this.ratings.values().stream().mapToLong(Integer::longValue).sum();
		this.averageRating = (this.reviewCount == 0) ? 0 : (double) this.ratingSum / this.reviewCount;
		if (sequenceNumber != null) {
			this.lastSequenceNumber = sequenceNumber;
		}
	}

}
