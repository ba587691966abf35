package io.dynamotrigger;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;

/**
 * A small item class the Enhanced Client can map, used as the item type of test triggers.
 */
@DynamoDbBean
public class Review {

	private String id;

	private Integer rating;

	private String text;

	public Review() {
	}

	public Review(String id, Integer rating, String text) {
		this.id = id;
		this.rating = rating;
		this.text = text;
	}

	@DynamoDbPartitionKey
	public String getId() {
		return this.id;
	}

	public void setId(String id) {
		this.id = id;
	}

	public Integer getRating() {
		return this.rating;
	}

	public void setRating(Integer rating) {
		this.rating = rating;
	}

	public String getText() {
		return this.text;
	}

	public void setText(String text) {
		this.text = text;
	}

}
