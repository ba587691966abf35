package io.dynamotrigger.samples.chat;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;

/**
 * An item of the {@code Messages} table: one message in one room, keyed by room and send time.
 */
@DynamoDbBean
public class Message {

	private String roomId;

	private String sentAt;

	private String sender;

	private String text;

	public Message() {
	}

	Message(String roomId, String sentAt, String sender, String text) {
		this.roomId = roomId;
		this.sentAt = sentAt;
		this.sender = sender;
		this.text = text;
	}

	@DynamoDbPartitionKey
	public String getRoomId() {
		return this.roomId;
	}

	public void setRoomId(String roomId) {
		this.roomId = roomId;
	}

	@DynamoDbSortKey
	public String getSentAt() {
		return this.sentAt;
	}

	public void setSentAt(String sentAt) {
		this.sentAt = sentAt;
	}

	public String getSender() {
		return this.sender;
	}

	public void setSender(String sender) {
		this.sender = sender;
	}

	public String getText() {
		return this.text;
	}

	public void setText(String text) {
		this.text = text;
	}

}
