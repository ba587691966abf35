package io.dynamotrigger.window;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * Where the window triggers of one table stream keep their windows: a DynamoDB table next to the lease table
 * ({@code <lease table>-WindowState}), created when first needed, with one item per stream, shard and
 * trigger. The shard's owner claims the item when it takes the lease and saves only while its claim holds,
 * so a former owner that has not yet noticed the lease move cannot overwrite what the new owner saves.
 *
 * <p>Item: {@code id} (stream ARN, shard id and trigger id), {@code owner}, {@code windowStart} and
 * {@code closedUntil} (epoch seconds), {@code state} (the state as JSON), {@code lastSequenceNumber}.
 */
public final class WindowStateTable {

	private static final Logger log = LoggerFactory.getLogger(WindowStateTable.class);

	private final DynamoDbClient dynamoDb;

	private final String tableName;

	private final String streamArn;

	private volatile boolean ready;

	/**
	 * Keeps the windows of one table stream.
	 * @param dynamoDb the client
	 * @param tableName the state table's name
	 * @param streamArn the stream, part of every item's key, so that a new stream of the table never resumes
	 * an old stream's windows
	 */
	public WindowStateTable(DynamoDbClient dynamoDb, String tableName, String streamArn) {
		this.dynamoDb = dynamoDb;
		this.tableName = tableName;
		this.streamArn = streamArn;
	}

	/**
	 * Returns the state table's name.
	 * @return the name
	 */
	public String tableName() {
		return this.tableName;
	}

	/**
	 * Claims the windows of a shard's trigger for a new owner and returns what was saved.
	 * @param shardId the shard
	 * @param triggerId the trigger
	 * @param owner the new owner's token, unique per lease taken
	 * @return what the previous owners saved, {@link SavedWindow#NONE} for nothing
	 */
	SavedWindow claim(String shardId, String triggerId, String owner) {
		prepare();
		Map<String, AttributeValue> item = this.dynamoDb
			.updateItem((update) -> update.tableName(this.tableName)
				.key(Map.of("id", AttributeValue.fromS(id(shardId, triggerId))))
				.updateExpression("SET #owner = :owner")
				.expressionAttributeNames(Map.of("#owner", "owner"))
				.expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(owner)))
				.returnValues(ReturnValue.ALL_NEW))
			.attributes();
		return new SavedWindow(instant(item.get("windowStart")), string(item.get("state")),
				string(item.get("lastSequenceNumber")), instant(item.get("closedUntil")));
	}

	/**
	 * Saves the windows of a shard's trigger, if the owner's claim still holds.
	 * @param shardId the shard
	 * @param triggerId the trigger
	 * @param owner the owner's token
	 * @param saved what to save
	 * @return {@code false} if another owner claimed the windows since
	 */
	boolean save(String shardId, String triggerId, String owner, SavedWindow saved) {
		Map<String, AttributeValue> item = new HashMap<>();
		item.put("id", AttributeValue.fromS(id(shardId, triggerId)));
		item.put("owner", AttributeValue.fromS(owner));
		put(item, "windowStart", saved.windowStart());
		put(item, "closedUntil", saved.closedUntil());
		if (saved.stateJson() != null) {
			item.put("state", AttributeValue.fromS(saved.stateJson()));
		}
		if (saved.lastSequenceNumber() != null) {
			item.put("lastSequenceNumber", AttributeValue.fromS(saved.lastSequenceNumber()));
		}
		try {
			this.dynamoDb.putItem((put) -> put.tableName(this.tableName)
				.item(item)
				.conditionExpression("#owner = :owner")
				.expressionAttributeNames(Map.of("#owner", "owner"))
				.expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(owner))));
			return true;
		}
		catch (ConditionalCheckFailedException ex) {
			return false;
		}
	}

	private String id(String shardId, String triggerId) {
		return this.streamArn + "|" + shardId + "|" + triggerId;
	}

	private static void put(Map<String, AttributeValue> item, String name, Instant value) {
		if (value != null) {
			item.put(name, AttributeValue.fromN(Long.toString(value.getEpochSecond())));
		}
	}

	private static Instant instant(AttributeValue value) {
		return (value != null) ? Instant.ofEpochSecond(Long.parseLong(value.n())) : null;
	}

	private static String string(AttributeValue value) {
		return (value != null) ? value.s() : null;
	}

	/**
	 * Creates the state table if it does not exist, and waits until it is active.
	 */
	private void prepare() {
		if (this.ready) {
			return;
		}
		try {
			this.dynamoDb.createTable((create) -> create.tableName(this.tableName)
				.keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
				.attributeDefinitions(AttributeDefinition.builder()
					.attributeName("id")
					.attributeType(ScalarAttributeType.S)
					.build())
				.billingMode(BillingMode.PAY_PER_REQUEST));
			log.info("Created the window state table {}", this.tableName);
		}
		catch (ResourceInUseException ex) {
			// Created before, or by another instance at the same time.
		}
		this.dynamoDb.waiter().waitUntilTableExists((describe) -> describe.tableName(this.tableName));
		TableStatus status = this.dynamoDb.describeTable((describe) -> describe.tableName(this.tableName))
			.table()
			.tableStatus();
		if (status != TableStatus.ACTIVE) {
			throw ResourceNotFoundException.builder()
				.message("Window state table " + this.tableName + " is " + status + ", not ACTIVE yet")
				.build();
		}
		this.ready = true;
	}

}
