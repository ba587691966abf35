package io.dynamotrigger.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The DynamoDB table of idempotent triggers: one item per record key, partition key {@code id}, in one of two
 * states. {@code IN_PROGRESS}: a consumer claimed the record and is calling the trigger; the claim holds until
 * {@code lockExpiresAt} (epoch millis), after which another consumer may claim it (the holder crashed).
 * {@code COMPLETED}: the trigger handled the record. Each item expires at {@code expiresAt} (epoch seconds,
 * the table's TTL attribute), after which the record counts as new again.
 *
 * <p>A claim is one conditional PutItem; completing is one PutItem, or BatchWriteItem for a batch; which
 * records of a batch are completed is one BatchGetItem (strongly consistent) per 100 records. Errors of
 * DynamoDB (unreachable, throttled, table missing) are thrown to the caller, which decides to wait.
 */
public final class IdempotencyTable {

	static final String ID = "id";

	static final String STATUS = "status";

	static final String OWNER = "owner";

	static final String LOCK_EXPIRES_AT = "lockExpiresAt";

	static final String EXPIRES_AT = "expiresAt";

	static final String IN_PROGRESS = "IN_PROGRESS";

	static final String COMPLETED = "COMPLETED";

	private static final Logger log = LoggerFactory.getLogger(IdempotencyTable.class);

	private static final int BATCH_GET_LIMIT = 100;

	private static final int BATCH_WRITE_LIMIT = 25;

	private static final String CLAIMABLE = "attribute_not_exists(#id) OR #expiresAt < :nowSeconds"
			+ " OR (#status = :inProgress AND #lockExpiresAt < :nowMillis)";

	private final DynamoDbClient dynamoDb;

	private final String tableName;

	private final Duration expiry;

	private final Duration lockTimeout;

	private final Clock clock;

	/**
	 * Creates the table's client side.
	 * @param dynamoDb the client
	 * @param tableName the table's name
	 * @param expiry how long a record's item is kept (from its claim, and again from its completion)
	 * @param lockTimeout how long a claim holds
	 * @param clock the time of claims and expiries
	 */
	public IdempotencyTable(DynamoDbClient dynamoDb, String tableName, Duration expiry, Duration lockTimeout,
			Clock clock) {
		this.dynamoDb = dynamoDb;
		this.tableName = tableName;
		this.expiry = expiry;
		this.lockTimeout = lockTimeout;
		this.clock = clock;
	}

	/**
	 * Returns the table's name.
	 * @return the name
	 */
	public String tableName() {
		return this.tableName;
	}

	/**
	 * Returns how long a claim holds.
	 * @return the lock timeout
	 */
	public Duration lockTimeout() {
		return this.lockTimeout;
	}

	/**
	 * Creates the table (on-demand capacity, TTL on {@code expiresAt}) if it does not exist; checks the key of
	 * one that does. Does not wait for a new table to become active: claims before that fail and are tried again.
	 * @throws IllegalStateException naming the table and what to change, if it cannot be created or has another
	 * key
	 */
	public void prepare() {
		try {
			List<KeySchemaElement> key = this.dynamoDb.describeTable((request) -> request.tableName(this.tableName))
				.table()
				.keySchema();
			if (key.size() != 1 || !ID.equals(key.get(0).attributeName())) {
				throw new IllegalStateException("Idempotency table " + this.tableName + " has the key " + key.stream()
					.map(KeySchemaElement::attributeName)
					.toList() + "; it needs the partition key '" + ID + "' (string) alone. Delete it, or set"
						+ " dynamo-trigger.idempotency.table-name to another table.");
			}
			return;
		}
		catch (ResourceNotFoundException ex) {
			log.debug("Idempotency table {} does not exist yet", this.tableName);
		}
		catch (DynamoDbException ex) {
			throw refused("describe", ex);
		}
		try {
			this.dynamoDb.createTable((table) -> table.tableName(this.tableName)
				.billingMode(BillingMode.PAY_PER_REQUEST)
				.attributeDefinitions((attribute) -> attribute.attributeName(ID).attributeType(ScalarAttributeType.S))
				.keySchema((key) -> key.attributeName(ID).keyType(KeyType.HASH)));
			this.dynamoDb.updateTimeToLive((ttl) -> ttl.tableName(this.tableName)
				.timeToLiveSpecification((spec) -> spec.attributeName(EXPIRES_AT).enabled(true)));
			log.info("Created idempotency table {} (TTL attribute {})", this.tableName, EXPIRES_AT);
		}
		catch (ResourceInUseException raced) {
			log.debug("Idempotency table {} was created by another instance", this.tableName);
		}
		catch (DynamoDbException ex) {
			throw refused("create", ex);
		}
	}

	private IllegalStateException refused(String action, DynamoDbException ex) {
		return new IllegalStateException("Cannot " + action + " idempotency table " + this.tableName + ": "
				+ ex.getMessage() + ". Grant dynamodb:DescribeTable, CreateTable and UpdateTimeToLive on it, or create"
				+ " it yourself (partition key '" + ID + "' string, TTL attribute '" + EXPIRES_AT + "'), or set"
				+ " dynamo-trigger.idempotency.table-name.", ex);
	}

	/**
	 * Claims a record: one conditional write that succeeds when the record has no item, its item expired, or
	 * its claim ran out.
	 * @param key the record's key
	 * @param owner who claims it, so that only it can release the claim
	 * @return the outcome
	 */
	public Claim claim(String key, String owner) {
		while (true) {
			Instant now = this.clock.instant();
			Map<String, AttributeValue> item = new HashMap<>();
			item.put(ID, AttributeValue.fromS(key));
			item.put(STATUS, AttributeValue.fromS(IN_PROGRESS));
			item.put(OWNER, AttributeValue.fromS(owner));
			item.put(LOCK_EXPIRES_AT, number(now.plus(this.lockTimeout).toEpochMilli()));
			item.put(EXPIRES_AT, number(now.plus(this.expiry).getEpochSecond()));
			try {
				this.dynamoDb.putItem((put) -> put.tableName(this.tableName)
					.item(item)
					.conditionExpression(CLAIMABLE)
					.expressionAttributeNames(Map.of("#id", ID, "#expiresAt", EXPIRES_AT, "#status", STATUS,
							"#lockExpiresAt", LOCK_EXPIRES_AT))
					.expressionAttributeValues(Map.of(":nowSeconds", number(now.getEpochSecond()), ":inProgress",
							AttributeValue.fromS(IN_PROGRESS), ":nowMillis", number(now.toEpochMilli()))));
				return new Claim(Claim.Outcome.CLAIMED, null);
			}
			catch (ConditionalCheckFailedException ex) {
				Map<String, AttributeValue> held = this.dynamoDb
					.getItem((get) -> get.tableName(this.tableName)
						.key(Map.of(ID, AttributeValue.fromS(key)))
						.consistentRead(true))
					.item();
				if (held != null && !held.isEmpty()) {
					return COMPLETED.equals(held.get(STATUS).s()) ? new Claim(Claim.Outcome.COMPLETED, null)
							: new Claim(Claim.Outcome.IN_PROGRESS,
									Instant.ofEpochMilli(Long.parseLong(held.get(LOCK_EXPIRES_AT).n())));
				}
				// released or expired between the write and the read: claim again
			}
		}
	}

	/**
	 * Returns which of the keys belong to records that were completed (and have not expired).
	 * @param keys the records' keys, without duplicates
	 * @return the completed ones
	 */
	public Set<String> completed(List<String> keys) {
		Set<String> completed = new HashSet<>();
		long nowSeconds = this.clock.instant().getEpochSecond();
		for (int from = 0; from < keys.size(); from += BATCH_GET_LIMIT) {
			List<Map<String, AttributeValue>> requested = keys
				.subList(from, Math.min(keys.size(), from + BATCH_GET_LIMIT))
				.stream()
				.map((key) -> Map.of(ID, AttributeValue.fromS(key)))
				.toList();
			Map<String, KeysAndAttributes> pending = Map.of(this.tableName, KeysAndAttributes.builder()
				.keys(requested)
				.consistentRead(true)
				.projectionExpression("#id, #status, #expiresAt")
				.expressionAttributeNames(Map.of("#id", ID, "#status", STATUS, "#expiresAt", EXPIRES_AT))
				.build());
			while (!pending.isEmpty()) {
				Map<String, KeysAndAttributes> request = pending;
				BatchGetItemResponse response = this.dynamoDb.batchGetItem((get) -> get.requestItems(request));
				for (Map<String, AttributeValue> item : response.responses().getOrDefault(this.tableName, List.of())) {
					if (COMPLETED.equals(item.get(STATUS).s())
							&& Long.parseLong(item.get(EXPIRES_AT).n()) >= nowSeconds) {
						completed.add(item.get(ID).s());
					}
				}
				pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
			}
		}
		return completed;
	}

	/**
	 * Marks records completed; their items expire after the expiry from now.
	 * @param keys the records' keys
	 */
	public void complete(List<String> keys) {
		long expiresAt = this.clock.instant().plus(this.expiry).getEpochSecond();
		if (keys.size() == 1) {
			this.dynamoDb.putItem((put) -> put.tableName(this.tableName).item(completedItem(keys.get(0), expiresAt)));
			return;
		}
		for (int from = 0; from < keys.size(); from += BATCH_WRITE_LIMIT) {
			List<WriteRequest> writes = new ArrayList<>();
			for (String key : keys.subList(from, Math.min(keys.size(), from + BATCH_WRITE_LIMIT))) {
				writes.add(WriteRequest.builder()
					.putRequest(PutRequest.builder().item(completedItem(key, expiresAt)).build())
					.build());
			}
			Map<String, List<WriteRequest>> pending = Map.of(this.tableName, writes);
			while (!pending.isEmpty()) {
				Map<String, List<WriteRequest>> request = pending;
				BatchWriteItemResponse response = this.dynamoDb.batchWriteItem((write) -> write.requestItems(request));
				pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
			}
		}
	}

	private static Map<String, AttributeValue> completedItem(String key, long expiresAt) {
		return Map.of(ID, AttributeValue.fromS(key), STATUS, AttributeValue.fromS(COMPLETED), EXPIRES_AT,
				number(expiresAt));
	}

	/**
	 * Gives up a claim, so that the record can be claimed at once (by a redrive, or the next delivery); does
	 * nothing if the claim is no longer the owner's.
	 * @param key the record's key
	 * @param owner who claimed it
	 */
	public void release(String key, String owner) {
		try {
			this.dynamoDb.deleteItem((delete) -> delete.tableName(this.tableName)
				.key(Map.of(ID, AttributeValue.fromS(key)))
				.conditionExpression("#status = :inProgress AND #owner = :owner")
				.expressionAttributeNames(Map.of("#status", STATUS, "#owner", OWNER))
				.expressionAttributeValues(
						Map.of(":inProgress", AttributeValue.fromS(IN_PROGRESS), ":owner", AttributeValue.fromS(owner))));
		}
		catch (ConditionalCheckFailedException ex) {
			log.debug("Claim of {} in idempotency table {} was no longer held by {}", key, this.tableName, owner);
		}
	}

	private static AttributeValue number(long value) {
		return AttributeValue.fromN(Long.toString(value));
	}

	/**
	 * What a claim found.
	 *
	 * @param outcome whether the record is claimed now, was completed, or is claimed by someone else
	 * @param lockedUntil for {@link Outcome#IN_PROGRESS}, when the other claim runs out; {@code null} otherwise
	 */
	public record Claim(Outcome outcome, Instant lockedUntil) {

		/**
		 * The outcomes of a claim.
		 */
		public enum Outcome {

			/** The record is claimed by the caller now. */
			CLAIMED,

			/** The record was handled already. */
			COMPLETED,

			/** Another claim holds the record. */
			IN_PROGRESS

		}

	}

}
