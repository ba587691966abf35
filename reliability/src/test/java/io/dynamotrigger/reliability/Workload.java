package io.dynamotrigger.reliability;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The keyed records the suite writes to {@code Events} (key {@code k0..k9}, per-key sequence numbers from 1)
 * and the oracle it reads back from {@code Calls}. Writes go straight to the endpoint, never through a proxy.
 */
final class Workload implements AutoCloseable {

	private static final int KEYS = 10;

	private static final String LEASE_TABLE = "reliability-" + CallRecorder.EVENTS;

	private final DynamoDbClient dynamoDb;

	private final Map<String, Long> written = new ConcurrentHashMap<>();

	private long next;

	private Workload(DynamoDbClient dynamoDb) {
		this.dynamoDb = dynamoDb;
	}

	/** Creates both tables on the endpoint. */
	static Workload create(URI endpoint) {
		DynamoDbClient dynamoDb = DynamoDbClient.builder()
			.endpointOverride(endpoint)
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
			.build();
		dynamoDb.createTable((table) -> table.tableName(CallRecorder.EVENTS)
			.billingMode(BillingMode.PAY_PER_REQUEST)
			.attributeDefinitions(attribute("key", ScalarAttributeType.S), attribute("seq", ScalarAttributeType.N))
			.keySchema(key("key", KeyType.HASH), key("seq", KeyType.RANGE))
			.streamSpecification((stream) -> stream.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
		dynamoDb.createTable((table) -> table.tableName(CallRecorder.CALLS)
			.billingMode(BillingMode.PAY_PER_REQUEST)
			.attributeDefinitions(attribute("call", ScalarAttributeType.S))
			.keySchema(key("call", KeyType.HASH)));
		return new Workload(dynamoDb);
	}

	/** Writes records one at a time, round robin over the keys; each key's sequence numbers count up from 1. */
	synchronized void write(int records) {
		for (int i = 0; i < records; i++) {
			String key = "k" + (this.next++ % KEYS);
			long seq = this.written.merge(key, 1L, Long::sum);
			this.dynamoDb.putItem((put) -> put.tableName(CallRecorder.EVENTS)
				.item(Map.of("key", AttributeValue.fromS(key), "seq", AttributeValue.fromN(Long.toString(seq)))));
		}
	}

	CompletableFuture<Void> writeInBackground(int records) {
		return CompletableFuture.runAsync(() -> write(records), (task) -> new Thread(task, "writer").start());
	}

	long written() {
		return this.written.values().stream().mapToLong(Long::longValue).sum();
	}

	/** The highest sequence number written so far, by key. */
	Map<String, Long> writtenByKey() {
		return Map.copyOf(this.written);
	}

	/**
	 * When the first record written after a moment was handled.
	 * @param before the highest sequence number by key at that moment, from {@link #writtenByKey()}
	 * @return epoch milliseconds of the first call for a later record, or -1 if there is none
	 */
	long firstCallAfter(Map<String, Long> before) {
		return calls().stream()
			.filter((call) -> call.seq() > before.getOrDefault(call.key(), 0L))
			.mapToLong(Tally.Call::at)
			.min()
			.orElse(-1);
	}

	/** Reads every call from the oracle and compares it with what was written. */
	Tally tally() {
		return Tally.of(Map.copyOf(this.written), calls());
	}

	private List<Tally.Call> calls() {
		List<Tally.Call> calls = new ArrayList<>();
		this.dynamoDb.scanPaginator((scan) -> scan.tableName(CallRecorder.CALLS))
			.items()
			.forEach((item) -> calls.add(new Tally.Call(item.get("key").s(), Long.parseLong(item.get("seq").n()),
					item.get("instance").s(), Long.parseLong(item.get("callNo").n()),
					Long.parseLong(item.get("at").n()))));
		return calls;
	}

	/**
	 * Waits until every written record has been handled at least once.
	 * @return the tally at that moment
	 * @throws AssertionError with the last tally if that does not happen within the timeout
	 */
	Tally awaitAllHandled(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			Tally tally = tally();
			if (tally.lost() == 0) {
				return tally;
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Not every record was handled within " + timeout + ": " + tally);
			}
			AppProcess.sleep(1000);
		}
	}

	/** The checkpoint of the stream's one shard in the lease table, or {@code none} before the first lease. */
	String checkpoint() {
		return this.dynamoDb.scan((scan) -> scan.tableName(LEASE_TABLE))
			.items()
			.stream()
			.filter((lease) -> lease.containsKey("checkpoint"))
			.map((lease) -> lease.get("checkpoint").s())
			.findFirst()
			.orElse("none");
	}

	@Override
	public void close() {
		this.dynamoDb.close();
	}

	private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
		return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
	}

	private static KeySchemaElement key(String name, KeyType type) {
		return KeySchemaElement.builder().attributeName(name).keyType(type).build();
	}

}
