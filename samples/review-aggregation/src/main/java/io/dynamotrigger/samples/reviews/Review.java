package io.dynamotrigger.samples.reviews;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;

/**
 * An item of the {@code Reviews} table: one customer's review of one product.
 */
@DynamoDbBean
public class Review {

	private String productId;

	private String reviewId;

	private int rating;

	private String text;

	public Review() {
	}

	Review(String productId, String reviewId, int rating, String text) {
		this.productId = productId;
		this.reviewId = reviewId;
		this.rating = rating;
		this.text = text;
	}

	@DynamoDbPartitionKey
	public String getProductId() {
		return this.productId;
	}

	public void setProductId(String productId) {
		this.productId = productId;
	}

	@DynamoDbSortKey
	public String getReviewId() {
		return this.reviewId;
	}

	public void setReviewId(String reviewId) {
		this.reviewId = reviewId;
	}

	public int getRating() {
		return this.rating;
	}

	public void setRating(int rating) {
		this.rating = rating;
	}

	public String getText() {
		return this.text;
	}

	public void setText(String text) {
		this.text = text;
	}

}
