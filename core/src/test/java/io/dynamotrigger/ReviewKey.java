package io.dynamotrigger;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;

/**
 * The key of a {@link Review}, for typed key views.
 */
@DynamoDbBean
public class ReviewKey {

	private String id;

	@DynamoDbPartitionKey
	public String getId() {
		return this.id;
	}

	public void setId(String id) {
		this.id = id;
	}

}
