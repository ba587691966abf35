package io.dynamotrigger.samples.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.dynamotrigger.error.DeadLetterReason;
import io.dynamotrigger.error.DeadLetterRecord;
import io.dynamotrigger.error.DynamoDbDeadLetterTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Runs once the trigger is started: two rooms with members, messages posted, one edited and one deleted,
 * one posted to a room nobody is in. Waits for the trigger, then checks that exactly the expected
 * notifications exist (none for the edit or the delete) and that the message to the empty room is a dead
 * letter. The exit code says whether everything matched.
 */
class ChatWorkload implements ApplicationRunner, ExitCodeGenerator {

	static final String TRIGGER_ID = "notifyMembersTrigger.onNewMessage";

	private static final Logger log = LoggerFactory.getLogger(ChatWorkload.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final String IDEMPOTENCY_TABLE = "group-chat-idempotency";

	/** The new messages to rooms with members: each completed once by the idempotent trigger. */
	private static final int NOTIFYING_MESSAGES = 6;

	/** recipient, message and text of every notification the messages below must cause. */
	private static final Set<String> EXPECTED = new TreeSet<>(List.of(
			"bob <- general#09:00:01 alice: Hi all", "carol <- general#09:00:01 alice: Hi all",
			"alice <- general#09:00:02 bob: Hi alice", "carol <- general#09:00:02 bob: Hi alice",
			"bob <- random#09:00:03 dave: Anyone here?",
			"alice <- general#09:00:05 carol: Lunch at noon?", "bob <- general#09:00:05 carol: Lunch at noon?",
			"dave <- random#09:00:06 bob: Yes, me",
			"bob <- general#09:00:07 alice: See you", "carol <- general#09:00:07 alice: See you"));

	private final ChatTables tables;

	private final DynamoDbDeadLetterTable deadLetters;

	private final NotifyMembersTrigger trigger;

	private final DynamoDbClient dynamoDb;

	private int exitCode = 1;

	ChatWorkload(ChatTables tables, DynamoDbDeadLetterTable deadLetters, NotifyMembersTrigger trigger,
			DynamoDbClient dynamoDb) {
		this.tables = tables;
		this.deadLetters = deadLetters;
		this.trigger = trigger;
		this.dynamoDb = dynamoDb;
	}

	@Override
	public void run(ApplicationArguments args) throws InterruptedException {
		List.of(new Member("general", "alice"), new Member("general", "bob"), new Member("general", "carol"),
				new Member("random", "bob"), new Member("random", "dave"))
			.forEach(this.tables.members::putItem);
		post("general", "09:00:01", "alice", "Hi all");
		post("general", "09:00:02", "bob", "Hi alice");
		post("random", "09:00:03", "dave", "Anyone here?");
		post("ghost", "09:00:04", "erin", "Hello?");
		post("general", "09:00:05", "carol", "Lunch at noon?");
		post("general", "09:00:01", "alice", "Hi all (edited)");
		this.tables.messages.deleteItem(new Message("general", "09:00:02", null, null));
		post("random", "09:00:06", "bob", "Yes, me");
		// Same room as the edit and the delete, so in the same shard after them: once it is notified, they are done.
		post("general", "09:00:07", "alice", "See you");
		log.info("Posted 8 messages (one to room ghost, which has no members), edited 1, deleted 1");

		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		Set<String> notified = notifications();
		List<DeadLetterRecord> dead = deadLetters();
		while ((!notified.containsAll(EXPECTED) || dead.isEmpty()) && System.nanoTime() < deadline) {
			Thread.sleep(200);
			notified = notifications();
			dead = deadLetters();
		}
		print(notified, dead);
		boolean deadLettered = dead.size() == 1 && dead.get(0).change().keys().get("roomId").s().equals("ghost")
				&& dead.get(0).failure().reason() == DeadLetterReason.NON_RETRYABLE;
		int sent = this.trigger.sent.get();
		long completed = completedMessages();
		System.out.println("Sent " + sent + " notifications; " + completed + " messages completed in "
				+ IDEMPOTENCY_TABLE);
		if (notified.equals(EXPECTED) && deadLettered && sent == EXPECTED.size() && completed == NOTIFYING_MESSAGES) {
			System.out.println("VERIFIED: " + EXPECTED.size() + " notifications, each sent once, none for the edit or"
					+ " the delete; the message to room ghost is a dead letter.");
			this.exitCode = 0;
		}
		else {
			Set<String> missing = new TreeSet<>(EXPECTED);
			missing.removeAll(notified);
			Set<String> unexpected = new TreeSet<>(notified);
			unexpected.removeAll(EXPECTED);
			System.out.println("MISMATCH: missing " + missing + ", unexpected " + unexpected + ", dead letters " + dead);
		}
	}

	/**
	 * The messages the idempotent trigger completed: the idempotency table's items (the dead-lettered message
	 * was released, so it is not among them).
	 */
	private long completedMessages() {
		return this.dynamoDb.scanPaginator((scan) -> scan.tableName(IDEMPOTENCY_TABLE))
			.items()
			.stream()
			.filter((item) -> "COMPLETED".equals(item.get("status").s()))
			.count();
	}

	private void post(String room, String sentAt, String sender, String text) {
		this.tables.messages.putItem(new Message(room, sentAt, sender, text));
	}

	private Set<String> notifications() {
		return this.tables.notifications.scan()
			.items()
			.stream()
			.map((n) -> n.getRecipient() + " <- " + n.getMessageId() + " " + n.getSender() + ": " + n.getText())
			.collect(Collectors.toCollection(TreeSet::new));
	}

	private List<DeadLetterRecord> deadLetters() {
		if (this.deadLetters.count(TRIGGER_ID) == 0) {
			return List.of();
		}
		return this.deadLetters.list(TRIGGER_ID, Instant.EPOCH, Instant.now().plus(Duration.ofHours(1)));
	}

	private static void print(Set<String> notified, List<DeadLetterRecord> dead) {
		System.out.println();
		System.out.println("Notifications:");
		notified.forEach((line) -> System.out.println("  " + line));
		System.out.println("Dead letters:");
		dead.forEach((letter) -> System.out.println("  room " + letter.change().keys().get("roomId").s() + ": "
				+ letter.failure().reason() + " (" + letter.failure().exceptionMessage() + ")"));
		System.out.println();
	}

	@Override
	public int getExitCode() {
		return this.exitCode;
	}

}
