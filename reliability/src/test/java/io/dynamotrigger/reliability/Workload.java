package io.dynamotrigger.reliability;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The keyed records the suite writes to {@code Events} (key {@code k0..k9} unless told otherwise, per-key
 * sequence numbers from 1) and the oracle it reads back from {@code Calls}. Writes go straight to the endpoint,
 * never through a proxy.
 */
final class Workload implements AutoCloseable {

	private static final int KEYS = 10;

	/** The lease table of the application's one KCL application for all tables (the default, shared mode). */
	static final String LEASE_TABLE = "reliability";

	/** The lease table of the application's KCL application for {@code Events} alone (per-table mode). */
	static final String PER_TABLE_LEASE_TABLE = "reliability-" + CallRecorder.EVENTS;

	private final DynamoDbClient dynamoDb;

	private static final String DEAD_LETTER_TABLE = "reliability-dead-letters";

	private final Map<String, Long> written = new ConcurrentHashMap<>();

	private final Set<String> poisoned = ConcurrentHashMap.newKeySet();

	private final int keys;

	private final String leaseTable;

	private long next;

	private Workload(DynamoDbClient dynamoDb, int keys, String leaseTable) {
		this.dynamoDb = dynamoDb;
		this.keys = keys;
		this.leaseTable = leaseTable;
	}

	/** Creates both tables on the endpoint; records go to 10 keys. */
	static Workload create(URI endpoint) {
		return create(endpoint, KEYS);
	}

	/**
	 * Creates both tables on the endpoint, for an application whose KCL lease table has the given name; records
	 * go to 10 keys.
	 */
	static Workload create(URI endpoint, String leaseTable) {
		return create(endpoint, KEYS, leaseTable);
	}

	/**
	 * Creates both tables on the endpoint.
	 * @param keys how many keys the records go to, round robin; on a stream of several shards each key's
	 * records stay in one shard lineage, so more keys spread them over more shards
	 */
	static Workload create(URI endpoint, int keys) {
		return create(endpoint, keys, LEASE_TABLE);
	}

	/**
	 * Creates both tables on the endpoint.
	 * @param keys how many keys the records go to
	 * @param leaseTable the application's KCL lease table, read for leases and checkpoints
	 */
	private static Workload create(URI endpoint, int keys, String leaseTable) {
		DynamoDbClient dynamoDb = DynamoDbClient.builder()
			.endpointOverride(endpoint)
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
			.build();
		createKeyedTable(dynamoDb, CallRecorder.EVENTS);
		dynamoDb.createTable((table) -> table.tableName(CallRecorder.CALLS)
			.billingMode(BillingMode.PAY_PER_REQUEST)
			.attributeDefinitions(attribute("call", ScalarAttributeType.S))
			.keySchema(key("call", KeyType.HASH)));
		return new Workload(dynamoDb, keys, leaseTable);
	}

	/** Creates the {@code Inputs} table, keyed like {@code Events}, for the bad-input scenario. */
	void createInputs() {
		createKeyedTable(this.dynamoDb, InputRecorder.INPUTS);
	}

	/** Writes one item to {@code Inputs} as it is. */
	void putInput(Map<String, AttributeValue> item) {
		this.dynamoDb.putItem((put) -> put.tableName(InputRecorder.INPUTS).item(item));
	}

	private static void createKeyedTable(DynamoDbClient dynamoDb, String name) {
		dynamoDb.createTable((table) -> table.tableName(name)
			.billingMode(BillingMode.PAY_PER_REQUEST)
			.attributeDefinitions(attribute("key", ScalarAttributeType.S), attribute("seq", ScalarAttributeType.N))
			.keySchema(key("key", KeyType.HASH), key("seq", KeyType.RANGE))
			.streamSpecification((stream) -> stream.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
	}

	/** Writes records one at a time, round robin over the keys; each key's sequence numbers count up from 1. */
	synchronized void write(int records) {
		for (int i = 0; i < records; i++) {
			writeRecord("k" + (this.next++ % this.keys), false);
		}
	}

	/**
	 * Writes records with several writers at once, each writing its own keys in order, round robin over the
	 * keys as {@link #write(int)} does. Record {@code n} (from 0) carries a {@code poison} attribute when
	 * {@code n % poisonEvery == poisonEvery / 2}.
	 * @param records how many records
	 * @param writers how many threads write
	 * @param poisonEvery one record in how many is poison
	 */
	synchronized void write(int records, int writers, int poisonEvery) {
		long first = this.next;
		List<CompletableFuture<Void>> writing = new ArrayList<>();
		for (int writer = 0; writer < writers; writer++) {
			int own = writer;
			writing.add(CompletableFuture.runAsync(() -> {
				for (long n = first; n < first + records; n++) {
					if ((n % this.keys) % writers == own) {
						writeRecord("k" + (n % this.keys), (n - first) % poisonEvery == poisonEvery / 2);
					}
				}
			}, (task) -> new Thread(task, "writer-" + own).start()));
		}
		this.next += records;
		CompletableFuture.allOf(writing.toArray(CompletableFuture[]::new)).join();
	}

	/** Writes records round robin over the keys at a rate of about {@code perSecond}. */
	synchronized void writeAtRate(int records, int perSecond) {
		long start = System.nanoTime();
		for (int i = 0; i < records; i++) {
			long due = start + i * 1_000_000_000L / perSecond;
			long early = due - System.nanoTime();
			if (early > 0) {
				AppProcess.sleep(early / 1_000_000);
			}
			writeRecord("k" + (this.next++ % this.keys), false);
		}
	}

	private void writeRecord(String key, boolean poison) {
		long seq = this.written.merge(key, 1L, Long::sum);
		Map<String, AttributeValue> item = new HashMap<>(
				Map.of("key", AttributeValue.fromS(key), "seq", AttributeValue.fromN(Long.toString(seq))));
		if (poison) {
			this.poisoned.add(key + "/" + seq);
			item.put("poison", AttributeValue.fromBool(true));
		}
		this.dynamoDb.putItem((put) -> put.tableName(CallRecorder.EVENTS).item(item));
	}

	/**
	 * Writes records round robin over the keys at a rate of about {@code perSecond} on a thread of its own
	 * until {@code stop} is set.
	 */
	CompletableFuture<Void> writeInBackgroundUntil(AtomicBoolean stop, int perSecond) {
		return CompletableFuture.runAsync(() -> {
			long start = System.nanoTime();
			for (long i = 0; !stop.get(); i++) {
				long early = start + i * 1_000_000_000L / perSecond - System.nanoTime();
				if (early > 0) {
					AppProcess.sleep(early / 1_000_000);
				}
				synchronized (this) {
					writeRecord("k" + (this.next++ % this.keys), false);
				}
			}
		}, (task) -> new Thread(task, "writer").start());
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

	/** The poison records written, as {@code key/seq}. */
	Set<String> poisoned() {
		return Set.copyOf(this.poisoned);
	}

	/** Reads every call from the oracle and compares it with what was written (poison records excepted). */
	Tally tally() {
		return Tally.of(Map.copyOf(this.written), poisoned(), calls());
	}

	/** Every item of the oracle, as written by the application. */
	List<Map<String, AttributeValue>> callItems() {
		return this.dynamoDb.scanPaginator((scan) -> scan.tableName(CallRecorder.CALLS)).items().stream().toList();
	}

	/** Every dead letter in the application's dead-letter table. */
	List<Map<String, AttributeValue>> deadLetters() {
		return this.dynamoDb.scanPaginator((scan) -> scan.tableName(DEAD_LETTER_TABLE)).items().stream().toList();
	}

	/** The worker holding KCL's leader lock (item {@code Leader} of the coordinator state table), or {@code none}. */
	String leaderLockOwner() {
		return this.dynamoDb.scan((scan) -> scan.tableName(this.leaseTable + "-CoordinatorState"))
			.items()
			.stream()
			.filter((item) -> item.containsKey("ownerName"))
			.map((item) -> item.get("ownerName").s())
			.findFirst()
			.orElse("none");
	}

	/**
	 * One item of the lease table.
	 * @param shard the shard id (KCL's lease key in per-table mode; in the shared mode's keys after the stream)
	 * @param owner the worker id of the owner, or {@code none} while KCL's leader has not assigned it
	 * @param checkpoint {@code TRIM_HORIZON}, a sequence number, or {@code SHARD_END} once the shard is done
	 */
	record Lease(String shard, String owner, String checkpoint) {

		/** Whether the shard still has records to process (its end is not checkpointed). */
		boolean active() {
			return !"SHARD_END".equals(this.checkpoint);
		}

	}

	/** Every lease of the lease table, of ended shards too until KCL deletes them; none before KCL created it. */
	List<Lease> leases() {
		try {
			return this.dynamoDb.scanPaginator((scan) -> scan.tableName(this.leaseTable).consistentRead(true))
				.items()
				.stream()
				.map((item) -> new Lease(item.containsKey("shardId") ? string(item, "shardId") : string(item, "leaseKey"),
						item.containsKey("leaseOwner") ? item.get("leaseOwner").s() : "none", string(item, "checkpoint")))
				.toList();
		}
		catch (ResourceNotFoundException ex) {
			return List.of();
		}
	}

	/** The owner of the stream's one shard lease in the lease table, or {@code none}. */
	String leaseOwner() {
		return this.dynamoDb.scan((scan) -> scan.tableName(this.leaseTable))
			.items()
			.stream()
			.filter((lease) -> lease.containsKey("leaseOwner"))
			.map((lease) -> lease.get("leaseOwner").s())
			.findFirst()
			.orElse("none");
	}

	List<Tally.Call> calls() {
		List<Tally.Call> calls = new ArrayList<>();
		this.dynamoDb.scanPaginator((scan) -> scan.tableName(CallRecorder.CALLS))
			.items()
			.forEach((item) -> calls.add(new Tally.Call(item.get("key").s(), Long.parseLong(item.get("seq").n()),
					item.get("instance").s(), Long.parseLong(item.get("callNo").n()),
					Long.parseLong(item.get("at").n()), string(item, "shard"), string(item, "streamSeq"))));
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
		return this.dynamoDb.scan((scan) -> scan.tableName(this.leaseTable))
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

	private static String string(Map<String, AttributeValue> item, String name) {
		AttributeValue value = item.get(name);
		return (value != null && value.s() != null) ? value.s() : "";
	}

	private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
		return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
	}

	private static KeySchemaElement key(String name, KeyType type) {
		return KeySchemaElement.builder().attributeName(name).keyType(type).build();
	}

}
