package io.dynamotrigger.samples.chat;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;

/**
 * An item of the {@code Members} table: one user's membership of one room.
 */
@DynamoDbBean
public class Member {

	private String roomId;

	private String userId;

	public Member() {
	}

	Member(String roomId, String userId) {
		this.roomId = roomId;
		this.userId = userId;
	}

	@DynamoDbPartitionKey
	public String getRoomId() {
		return this.roomId;
	}

	public void setRoomId(String roomId) {
		this.roomId = roomId;
	}

	@DynamoDbSortKey
	public String getUserId() {
		return this.userId;
	}

	public void setUserId(String userId) {
		this.userId = userId;
	}

}
