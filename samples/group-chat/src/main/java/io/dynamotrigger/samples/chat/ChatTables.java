package io.dynamotrigger.samples.chat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.CreateTableEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The sample's tables, created when absent while beans are created, before the trigger checks its table.
 * Only {@code Messages} has a stream.
 */
class ChatTables {

	private static final Logger log = LoggerFactory.getLogger(ChatTables.class);

	final DynamoDbTable<Message> messages;

	final DynamoDbTable<Member> members;

	final DynamoDbTable<Notification> notifications;

	ChatTables(DynamoDbClient dynamoDb) {
		DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoDb).build();
		this.messages = enhanced.table("Messages", TableSchema.fromBean(Message.class));
		this.members = enhanced.table("Members", TableSchema.fromBean(Member.class));
		this.notifications = enhanced.table("Notifications", TableSchema.fromBean(Notification.class));
		createIfAbsent(this.messages, CreateTableEnhancedRequest.builder()
			.streamSpecification(
					StreamSpecification.builder().streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE).build())
			.build());
		createIfAbsent(this.members, CreateTableEnhancedRequest.builder().build());
		createIfAbsent(this.notifications, CreateTableEnhancedRequest.builder().build());
	}

	private static void createIfAbsent(DynamoDbTable<?> table, CreateTableEnhancedRequest request) {
		try {
			table.createTable(request);
			log.info("Created table {}", table.tableName());
		}
		catch (ResourceInUseException ex) {
			log.info("Table {} exists", table.tableName());
		}
	}

}
