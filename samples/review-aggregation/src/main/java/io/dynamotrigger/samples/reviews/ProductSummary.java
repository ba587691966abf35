package io.dynamotrigger.samples.reviews;

import java.math.BigInteger;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;

/**
 * An item of the {@code ProductSummary} table, kept by the trigger: how many reviews a product has and
 * their average rating. {@code lastSequenceNumber} is the stream record applied last, so that a record
 * delivered again (delivery is at least once) is not counted twice.
 */
@DynamoDbBean
public class ProductSummary {

	private String productId;

	private long reviewCount;

	private long ratingSum;

	private double averageRating;

	private BigInteger lastSequenceNumber;

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

	void apply(long countDelta, long ratingDelta, BigInteger sequenceNumber) {
		this.reviewCount += countDelta;
		this.ratingSum += ratingDelta;
		this.averageRating = (this.reviewCount == 0) ? 0 : (double) this.ratingSum / this.reviewCount;
		this.lastSequenceNumber = sequenceNumber;
	}

}
