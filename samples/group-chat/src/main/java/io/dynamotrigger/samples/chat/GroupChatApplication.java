package io.dynamotrigger.samples.chat;

import io.dynamotrigger.error.DynamoDbDeadLetterTable;
import io.dynamotrigger.samples.support.LocalEndpointStarter;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Group chat: a {@code Messages} table whose INSERT trigger notifies every other member of the message's
 * room ({@code Members}) by writing to {@code Notifications}. Run with no configuration it starts a local
 * DynamoDB endpoint, posts, edits and deletes messages, verifies the notifications and the dead letter of a
 * message to a room without members, and exits (0 when all match).
 */
@SpringBootApplication
public class GroupChatApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(GroupChatApplication.class);
		application.addListeners(new LocalEndpointStarter());
		System.exit(SpringApplication.exit(application.run(args)));
	}

	@Bean
	ChatTables chatTables(DynamoDbClient dynamoDb) {
		return new ChatTables(dynamoDb);
	}

	@Bean
	NotifyMembersTrigger notifyMembersTrigger(ChatTables tables) {
		return new NotifyMembersTrigger(tables);
	}

	@Bean
	ChatWorkload chatWorkload(ChatTables tables, DynamoDbDeadLetterTable deadLetters, NotifyMembersTrigger trigger,
			DynamoDbClient dynamoDb) {
		return new ChatWorkload(tables, deadLetters, trigger, dynamoDb);
	}

}
