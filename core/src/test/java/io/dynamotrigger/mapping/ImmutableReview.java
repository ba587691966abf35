package io.dynamotrigger.mapping;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbImmutable;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;

@DynamoDbImmutable(builder = ImmutableReview.Builder.class)
public final class ImmutableReview {

	private final String id;

	private final int rating;

	private ImmutableReview(Builder builder) {
		this.id = builder.id;
		this.rating = builder.rating;
	}

	public static Builder builder() {
		return new Builder();
	}

	@DynamoDbPartitionKey
	public String id() {
		return this.id;
	}

	public int rating() {
		return this.rating;
	}

	public static final class Builder {

		private String id;

		private int rating;

		public Builder id(String id) {
			this.id = id;
			return this;
		}

		public Builder rating(int rating) {
			this.rating = rating;
			return this;
		}

		public ImmutableReview build() {
			return new ImmutableReview(this);
		}

	}

}
