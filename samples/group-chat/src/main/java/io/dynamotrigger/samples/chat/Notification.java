package io.dynamotrigger.samples.chat;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;

/**
 * An item of the {@code Notifications} table: one recipient told of one message. Keyed by recipient and
 * message ({@code roomId#sentAt}), so a record delivered again writes the same item: no duplicate.
 */
@DynamoDbBean
public class Notification {

	private String recipient;

	private String messageId;

	private String sender;

	private String text;

	@DynamoDbPartitionKey
	public String getRecipient() {
		return this.recipient;
	}

	public void setRecipient(String recipient) {
		this.recipient = recipient;
	}

	@DynamoDbSortKey
	public String getMessageId() {
		return this.messageId;
	}

	public void setMessageId(String messageId) {
		this.messageId = messageId;
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
