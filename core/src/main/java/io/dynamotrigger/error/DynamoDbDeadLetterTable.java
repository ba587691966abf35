package io.dynamotrigger.error;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * Dead letters kept in a DynamoDB table: one item per dead letter, partition key {@code triggerId}, sort
 * key {@code deadLetterId} ({@code <first failure time>#<shard>#<sequence number>}, so a trigger's dead
 * letters sort by the time they first failed). Keys and images are stored as DynamoDB maps, exactly as
 * the stream carried them, with every other field of the stream record (event source and version, region,
 * size, view type, user identity), so that a redriven record is the record that was read.
 *
 * <p>A dead letter that DynamoDB does not take so (images near the 400 KB item limit, or nested as deep as
 * DynamoDB allows, one level more inside the dead letter) is stored with its images gzip-compressed in the
 * binary attribute {@code imagesGzip} (DynamoDB JSON), which {@link #list} reads back as maps. If even that is
 * too large, the whole dead letter is kept in the {@link DeadLetterOverflow} (an S3 bucket) and the item holds
 * its key ({@code overflowKey}); {@link #list} reads it back whole. Without an overflow, the dead letter is
 * stored without images, marked {@code imagesOmitted}, and the whole dead letter is logged as JSON at ERROR,
 * so that the record is not lost and the shard does not wait for a write that cannot succeed.
 */
public final class DynamoDbDeadLetterTable implements DeadLetterHandler {

	private static final Logger log = LoggerFactory.getLogger(DynamoDbDeadLetterTable.class);

	private static final DateTimeFormatter SORTABLE_TIME = DateTimeFormatter
		.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
		.withZone(ZoneOffset.UTC);

	private final DynamoDbClient dynamoDb;

	private final String tableName;

	private final DeadLetterOverflow overflow;

	/**
	 * Creates the handler.
	 * @param dynamoDb the client to write with
	 * @param tableName the table's name
	 * @param overflow where dead letters too large for an item are kept, or {@code null} to store them
	 * without images
	 */
	public DynamoDbDeadLetterTable(DynamoDbClient dynamoDb, String tableName, DeadLetterOverflow overflow) {
		this.dynamoDb = dynamoDb;
		this.tableName = tableName;
		this.overflow = overflow;
	}

	/**
	 * Returns the table's name.
	 * @return the name
	 */
	public String tableName() {
		return this.tableName;
	}

	/**
	 * Creates the table (on-demand capacity) if it does not exist. Does not wait for it to become active:
	 * a dead letter written before that is offered again until the write succeeds.
	 */
	@Override
	public void prepare() {
		if (this.overflow != null) {
			this.overflow.prepare();
		}
		try {
			this.dynamoDb.describeTable((request) -> request.tableName(this.tableName));
		}
		catch (ResourceNotFoundException ex) {
			try {
				this.dynamoDb.createTable((table) -> table.tableName(this.tableName)
					.billingMode(BillingMode.PAY_PER_REQUEST)
					.attributeDefinitions(
							(attribute) -> attribute.attributeName("triggerId").attributeType(ScalarAttributeType.S),
							(attribute) -> attribute.attributeName("deadLetterId").attributeType(ScalarAttributeType.S))
					.keySchema((key) -> key.attributeName("triggerId").keyType(KeyType.HASH),
							(key) -> key.attributeName("deadLetterId").keyType(KeyType.RANGE)));
				log.info("Created dead-letter table {}", this.tableName);
			}
			catch (ResourceInUseException raced) {
				log.debug("Dead-letter table {} was created by another instance", this.tableName);
			}
		}
	}

	@Override
	public void handle(DeadLetterRecord deadLetter) {
		Map<String, AttributeValue> item = toItem(deadLetter);
		item.put("oldImage", AttributeValue.fromM(deadLetter.change().oldImage()));
		item.put("newImage", AttributeValue.fromM(deadLetter.change().newImage()));
		if (put(item)) {
			return;
		}
		item.remove("oldImage");
		item.remove("newImage");
		item.put("imagesGzip", AttributeValue.fromB(SdkBytes.fromByteArray(DeadLetterJson.compressImages(deadLetter))));
		if (put(item)) {
			return;
		}
		item.remove("imagesGzip");
		if (this.overflow != null) {
			item.put("overflowKey", AttributeValue.fromS(this.overflow.store(deadLetter)));
			this.dynamoDb.putItem((put) -> put.tableName(this.tableName).item(item));
			return;
		}
		item.put("imagesOmitted", AttributeValue.fromBool(true));
		log.error("Dead letter of trigger {} for table {} shard {} sequence number {} does not fit in dead-letter"
				+ " table {} even with compressed images; stored without them, the whole dead letter follows: {}",
				deadLetter.source().triggerId(), deadLetter.source().table(), deadLetter.source().shardId(),
				deadLetter.source().sequenceNumber(), this.tableName, DeadLetterJson.write(deadLetter, Integer.MAX_VALUE));
		this.dynamoDb.putItem((put) -> put.tableName(this.tableName).item(item));
	}

	/**
	 * Writes an item.
	 * @return {@code false} if DynamoDB rejected the item itself (too large, nested too deep)
	 */
	private boolean put(Map<String, AttributeValue> item) {
		try {
			this.dynamoDb.putItem((put) -> put.tableName(this.tableName).item(item));
			return true;
		}
		catch (DynamoDbException ex) {
			if (ex.statusCode() == 400 && ex.awsErrorDetails() != null
					&& "ValidationException".equals(ex.awsErrorDetails().errorCode())) {
				log.debug("Dead-letter table {} rejected an item: {}", this.tableName, ex.getMessage());
				return false;
			}
			throw ex;
		}
	}

	/**
	 * Lists a trigger's dead letters whose first failure lies in a time range, oldest first.
	 * @param triggerId the trigger
	 * @param from start of the range, inclusive
	 * @param to end of the range, exclusive
	 * @return the dead letters
	 */
	public List<DeadLetterRecord> list(String triggerId, Instant from, Instant to) {
		return this.dynamoDb
			.queryPaginator((query) -> query.tableName(this.tableName)
				.consistentRead(true)
				.keyConditionExpression("triggerId = :trigger AND deadLetterId BETWEEN :from AND :to")
				.expressionAttributeValues(Map.of(":trigger", AttributeValue.fromS(triggerId), ":from",
						AttributeValue.fromS(SORTABLE_TIME.format(from)), ":to",
						AttributeValue.fromS(SORTABLE_TIME.format(to)))))
			.items()
			.stream()
			.map(this::fromItem)
			.toList();
	}

	/**
	 * Counts a trigger's dead letters.
	 * @param triggerId the trigger
	 * @return how many it has
	 */
	public long count(String triggerId) {
		return this.dynamoDb
			.queryPaginator((query) -> query.tableName(this.tableName)
				.select(Select.COUNT)
				.keyConditionExpression("triggerId = :trigger")
				.expressionAttributeValues(Map.of(":trigger", AttributeValue.fromS(triggerId))))
			.stream()
			.mapToLong(QueryResponse::count)
			.sum();
	}

	/**
	 * Deletes a dead letter.
	 * @param deadLetter the dead letter, as listed
	 */
	public void delete(DeadLetterRecord deadLetter) {
		this.dynamoDb.deleteItem((delete) -> delete.tableName(this.tableName)
			.key(Map.of("triggerId", AttributeValue.fromS(deadLetter.source().triggerId()), "deadLetterId",
					AttributeValue.fromS(deadLetterId(deadLetter)))));
		if (this.overflow != null) {
			this.overflow.delete(deadLetter);
		}
	}

	private static String deadLetterId(DeadLetterRecord deadLetter) {
		return SORTABLE_TIME.format(deadLetter.failure().firstFailure()) + "#" + deadLetter.source().shardId() + "#"
				+ deadLetter.source().sequenceNumber();
	}

	private static Map<String, AttributeValue> toItem(DeadLetterRecord deadLetter) {
		DeadLetterRecord.Source source = deadLetter.source();
		DeadLetterRecord.Change change = deadLetter.change();
		DeadLetterRecord.Failure failure = deadLetter.failure();
		Map<String, AttributeValue> item = new HashMap<>();
		item.put("triggerId", AttributeValue.fromS(source.triggerId()));
		item.put("deadLetterId", AttributeValue.fromS(deadLetterId(deadLetter)));
		item.put("table", AttributeValue.fromS(source.table()));
		item.put("shardId", AttributeValue.fromS(source.shardId()));
		item.put("sequenceNumber", AttributeValue.fromS(source.sequenceNumber()));
		item.put("eventId", AttributeValue.fromS(source.eventId()));
		item.put("eventType", AttributeValue.fromS(change.eventName()));
		if (change.approximateCreationTime() != null) {
			item.put("approximateCreationTime", AttributeValue.fromS(change.approximateCreationTime().toString()));
		}
		item.put("keys", AttributeValue.fromM(change.keys()));
		putIfPresent(item, "eventSource", source.eventSource());
		putIfPresent(item, "eventVersion", source.eventVersion());
		putIfPresent(item, "awsRegion", source.awsRegion());
		if (change.sizeBytes() != null) {
			item.put("sizeBytes", AttributeValue.fromN(change.sizeBytes().toString()));
		}
		putIfPresent(item, "streamViewType", change.streamViewType());
		if (change.userIdentity() != null) {
			putIfPresent(item, "userIdentityType", change.userIdentity().type());
			putIfPresent(item, "userIdentityPrincipalId", change.userIdentity().principalId());
		}
		item.put("reason", AttributeValue.fromS(failure.reason().name()));
		putIfPresent(item, "exceptionClass", failure.exceptionClass());
		putIfPresent(item, "exceptionMessage", failure.exceptionMessage());
		putIfPresent(item, "stackHead", failure.stackHead());
		item.put("attempts", AttributeValue.fromN(Integer.toString(failure.attempts())));
		item.put("firstFailure", AttributeValue.fromS(failure.firstFailure().toString()));
		item.put("lastFailure", AttributeValue.fromS(failure.lastFailure().toString()));
		return item;
	}

	private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
		if (value != null) {
			item.put(name, AttributeValue.fromS(value));
		}
	}

	private DeadLetterRecord fromItem(Map<String, AttributeValue> item) {
		if (item.containsKey("overflowKey") && this.overflow != null) {
			return this.overflow.load(item.get("overflowKey").s());
		}
		List<Map<String, AttributeValue>> images = item.containsKey("imagesGzip")
				? DeadLetterJson.decompressImages(item.get("imagesGzip").b().asByteArrayUnsafe())
				: List.of(mapOrEmpty(item, "oldImage"), mapOrEmpty(item, "newImage"));
		AttributeValue sizeBytes = item.get("sizeBytes");
		return new DeadLetterRecord(
				new DeadLetterRecord.Source(item.get("triggerId").s(), item.get("table").s(), item.get("shardId").s(),
						item.get("sequenceNumber").s(), item.get("eventId").s(), string(item, "eventSource"),
						string(item, "eventVersion"), string(item, "awsRegion")),
				new DeadLetterRecord.Change(item.get("eventType").s(),
						item.containsKey("approximateCreationTime")
								? Instant.parse(item.get("approximateCreationTime").s()) : null,
						item.get("keys").m(), images.get(0), images.get(1),
						(sizeBytes != null) ? Long.valueOf(sizeBytes.n()) : null, string(item, "streamViewType"),
						item.containsKey("userIdentityType") || item.containsKey("userIdentityPrincipalId")
								? new DeadLetterRecord.UserIdentity(string(item, "userIdentityType"),
										string(item, "userIdentityPrincipalId"))
								: null),
				new DeadLetterRecord.Failure(DeadLetterReason.valueOf(item.get("reason").s()), null,
						string(item, "exceptionClass"), string(item, "exceptionMessage"), string(item, "stackHead"),
						Integer.parseInt(item.get("attempts").n()), Instant.parse(item.get("firstFailure").s()),
						Instant.parse(item.get("lastFailure").s())));
	}

	private static Map<String, AttributeValue> mapOrEmpty(Map<String, AttributeValue> item, String name) {
		AttributeValue value = item.get(name);
		return (value != null) ? value.m() : Map.of();
	}

	private static String string(Map<String, AttributeValue> item, String name) {
		AttributeValue value = item.get(name);
		return (value != null) ? value.s() : null;
	}

}
