package io.dynamotrigger.samples.chat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.EventType;
import io.dynamotrigger.ViewType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;

/**
 * The trigger: a new message notifies every other member of its room. Edits and deletes are not
 * {@link EventType#INSERT}s, so they never reach the method. It is idempotent: a message it handled is not
 * handed to it again (after a crash, a lease move or a redrive), so each notification is sent once; the
 * records are claimed and completed in the idempotency table {@code group-chat-idempotency}.
 */
class NotifyMembersTrigger {

	private static final Logger log = LoggerFactory.getLogger(NotifyMembersTrigger.class);

	private final ChatTables tables;

	NotifyMembersTrigger(ChatTables tables) {
		this.tables = tables;
	}

	/** Notifications sent, for the workload's check that none was sent twice. */
	final AtomicInteger sent = new AtomicInteger();

	@DynamoTrigger(table = "Messages", viewType = ViewType.NEW_IMAGE, events = EventType.INSERT, idempotent = "true")
	void onNewMessage(Message message) {
		List<String> members = this.tables.members
			.query(QueryConditional.keyEqualTo(Key.builder().partitionValue(message.getRoomId()).build()))
			.items()
			.stream()
			.map(Member::getUserId)
			.toList();
		if (members.isEmpty()) {
			throw new UnknownRoomException(message.getRoomId());
		}
		for (String member : members) {
			if (member.equals(message.getSender())) {
				continue;
			}
			Notification notification = new Notification();
			notification.setRecipient(member);
			notification.setMessageId(message.getRoomId() + "#" + message.getSentAt());
			notification.setSender(message.getSender());
			notification.setText(message.getText());
			this.tables.notifications.putItem(notification);
			this.sent.incrementAndGet();
			log.info("Notified {} of {}'s message in {}: {}", member, message.getSender(), message.getRoomId(),
					message.getText());
		}
	}

}
