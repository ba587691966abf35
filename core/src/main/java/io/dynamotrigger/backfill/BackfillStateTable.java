package io.dynamotrigger.backfill;

import java.util.HashMap;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The small table that keeps backfills' state, next to the lease table of the trigger's consumer: per trigger
 * one item with the backfill's status, when its scan began and the scan's lock (owner and expiry), and one
 * item per segment with the key its scan resumes after. Created when a trigger first asks for a backfill.
 */
final class BackfillStateTable {

	private static final String ID = "id";

	private final DynamoDbClient dynamoDb;

	private final String name;

	BackfillStateTable(DynamoDbClient dynamoDb, String name) {
		this.dynamoDb = dynamoDb;
		this.name = name;
	}

	String name() {
		return this.name;
	}

	/**
	 * Creates the table if it does not exist, and waits until it can be used.
	 */
	void create() {
		try {
			this.dynamoDb.describeTable((describe) -> describe.tableName(this.name));
			return;
		}
		catch (ResourceNotFoundException ex) {
			// created below
		}
		try {
			this.dynamoDb.createTable((create) -> create.tableName(this.name)
				.billingMode(BillingMode.PAY_PER_REQUEST)
				.attributeDefinitions(AttributeDefinition.builder()
					.attributeName(ID)
					.attributeType(ScalarAttributeType.S)
					.build())
				.keySchema(KeySchemaElement.builder().attributeName(ID).keyType(KeyType.HASH).build()));
		}
		catch (ResourceInUseException ex) {
			// another instance created it
		}
		this.dynamoDb.waiter().waitUntilTableExists((describe) -> describe.tableName(this.name));
	}

	BackfillState read(String triggerId) {
		Map<String, AttributeValue> item = this.dynamoDb
			.getItem((get) -> get.tableName(this.name).key(key(triggerId)).consistentRead(true))
			.item();
		if (item == null || item.isEmpty()) {
			return null;
		}
		AttributeValue ended = item.get("scanEndedAt");
		AttributeValue failure = item.get("failure");
		return new BackfillState(item.get("status").s(), Long.parseLong(item.get("scanStartedAt").n()),
				(ended != null) ? Long.valueOf(ended.n()) : null, Integer.parseInt(item.get("segments").n()),
				(failure != null) ? failure.s() : null);
	}

	/**
	 * Begins a trigger's first backfill, unless another instance began it first.
	 * @return {@code false} if the trigger's state item exists
	 */
	boolean begin(String triggerId, long scanStartedAt, int segments) {
		try {
			this.dynamoDb.putItem((put) -> put.tableName(this.name)
				.item(stateItem(triggerId, scanStartedAt, segments))
				.conditionExpression("attribute_not_exists(id)"));
			return true;
		}
		catch (ConditionalCheckFailedException ex) {
			return false;
		}
	}

	/**
	 * Begins another backfill of a trigger, replacing the state of the one before; its segments' progress no
	 * longer counts, since it belongs to another scan start.
	 */
	void restart(String triggerId, long scanStartedAt, int segments) {
		this.dynamoDb.putItem((put) -> put.tableName(this.name).item(stateItem(triggerId, scanStartedAt, segments)));
	}

	private static Map<String, AttributeValue> stateItem(String triggerId, long scanStartedAt, int segments) {
		Map<String, AttributeValue> item = new HashMap<>(key(triggerId));
		item.put("status", AttributeValue.fromS(BackfillState.SCANNING));
		item.put("scanStartedAt", n(scanStartedAt));
		item.put("segments", n(segments));
		return item;
	}

	/**
	 * Takes or renews the scan's lock of a trigger's backfill: free, expired, or held by this owner already.
	 * @return whether the owner holds the lock until {@code expiresAt}
	 */
	boolean lock(String triggerId, long scanStartedAt, String owner, long now, long expiresAt) {
		try {
			this.dynamoDb.updateItem((update) -> update.tableName(this.name)
				.key(key(triggerId))
				.updateExpression("SET lockOwner = :owner, lockExpiresAt = :expires")
				.conditionExpression("#status = :scanning AND scanStartedAt = :started AND"
						+ " (attribute_not_exists(lockOwner) OR lockExpiresAt < :now OR lockOwner = :owner)")
				.expressionAttributeNames(Map.of("#status", "status"))
				.expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(owner), ":expires", n(expiresAt),
						":scanning", AttributeValue.fromS(BackfillState.SCANNING), ":started", n(scanStartedAt),
						":now", n(now))));
			return true;
		}
		catch (ConditionalCheckFailedException ex) {
			return false;
		}
	}

	/**
	 * Gives the scan's lock up, if the owner holds it, so that another instance can go on at once.
	 */
	void unlock(String triggerId, String owner) {
		try {
			this.dynamoDb.updateItem((update) -> update.tableName(this.name)
				.key(key(triggerId))
				.updateExpression("REMOVE lockOwner, lockExpiresAt")
				.conditionExpression("lockOwner = :owner")
				.expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(owner))));
		}
		catch (ConditionalCheckFailedException ex) {
			// not held by this owner (any more)
		}
	}

	/**
	 * Marks a backfill done, if the owner still holds its lock.
	 * @return whether it is marked
	 */
	boolean done(String triggerId, long scanStartedAt, String owner, long scanEndedAt) {
		try {
			this.dynamoDb.updateItem((update) -> update.tableName(this.name)
				.key(key(triggerId))
				.updateExpression("SET #status = :done, scanEndedAt = :ended REMOVE lockOwner, lockExpiresAt")
				.conditionExpression("scanStartedAt = :started AND lockOwner = :owner")
				.expressionAttributeNames(Map.of("#status", "status"))
				.expressionAttributeValues(Map.of(":done", AttributeValue.fromS(BackfillState.DONE), ":ended",
						n(scanEndedAt), ":started", n(scanStartedAt), ":owner", AttributeValue.fromS(owner))));
			return true;
		}
		catch (ConditionalCheckFailedException ex) {
			return false;
		}
	}

	/**
	 * Marks a backfill failed, unless another one of the trigger began meanwhile.
	 */
	void fail(String triggerId, long scanStartedAt, String failure) {
		try {
			this.dynamoDb.updateItem((update) -> update.tableName(this.name)
				.key(key(triggerId))
				.updateExpression("SET #status = :failed, failure = :failure REMOVE lockOwner, lockExpiresAt")
				.conditionExpression("scanStartedAt = :started")
				.expressionAttributeNames(Map.of("#status", "status"))
				.expressionAttributeValues(Map.of(":failed", AttributeValue.fromS(BackfillState.FAILED), ":failure",
						AttributeValue.fromS(failure), ":started", n(scanStartedAt))));
		}
		catch (ConditionalCheckFailedException ex) {
			// another backfill of the trigger began
		}
	}

	/**
	 * Reads how far a segment of a backfill has got.
	 */
	SegmentProgress segment(String triggerId, long scanStartedAt, int segment) {
		Map<String, AttributeValue> item = this.dynamoDb
			.getItem((get) -> get.tableName(this.name).key(key(segmentId(triggerId, segment))).consistentRead(true))
			.item();
		if (item == null || item.isEmpty() || Long.parseLong(item.get("scanStartedAt").n()) != scanStartedAt) {
			return SegmentProgress.START;
		}
		AttributeValue lastKey = item.get("lastKey");
		return new SegmentProgress((lastKey != null) ? lastKey.m() : null, item.get("done").bool(),
				Long.parseLong(item.get("items").n()));
	}

	/**
	 * Keeps how far a segment of a backfill has got, unless it is done already (another instance, which took
	 * the lock over, may have scanned it to its end).
	 */
	void save(String triggerId, long scanStartedAt, int segment, SegmentProgress progress) {
		Map<String, AttributeValue> item = new HashMap<>(key(segmentId(triggerId, segment)));
		item.put("scanStartedAt", n(scanStartedAt));
		item.put("done", AttributeValue.fromBool(progress.done()));
		item.put("items", n(progress.items()));
		if (progress.lastKey() != null) {
			item.put("lastKey", AttributeValue.fromM(progress.lastKey()));
		}
		try {
			this.dynamoDb.putItem((put) -> put.tableName(this.name)
				.item(item)
				.conditionExpression("attribute_not_exists(id) OR scanStartedAt <> :started OR done = :false")
				.expressionAttributeValues(Map.of(":started", n(scanStartedAt), ":false", AttributeValue.fromBool(false))));
		}
		catch (ConditionalCheckFailedException ex) {
			// done already
		}
	}

	private static String segmentId(String triggerId, int segment) {
		return triggerId + "#segment#" + segment;
	}

	private static Map<String, AttributeValue> key(String id) {
		return Map.of(ID, AttributeValue.fromS(id));
	}

	private static AttributeValue n(long value) {
		return AttributeValue.fromN(Long.toString(value));
	}

}
