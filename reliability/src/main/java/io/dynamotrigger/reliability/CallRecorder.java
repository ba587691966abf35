package io.dynamotrigger.reliability;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.TriggerContext;
import io.dynamotrigger.ViewType;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The trigger under test: writes one oracle item per call, {@code (call = instance#callNo, key, seq,
 * instance, callNo, at, shard, streamSeq)}, so that the suite can count lost records, duplicates and per-key
 * order violations across processes, and tell which redeliveries came after a shard's checkpoint. Prints {@code HANDLED n} every 50 calls for the suite to follow progress.
 * <p>
 * An item with a {@code poison} attribute makes it throw, every time; {@code handlerDelay} makes each call
 * take that much longer, for a handler slower than the records arrive.
 */
class CallRecorder {

	static final String EVENTS = "Events";

	static final String CALLS = "Calls";

	private final DynamoDbClient oracle;

	private final String instance;

	private final Duration handlerDelay;

	private final AtomicLong calls = new AtomicLong();

	CallRecorder(DynamoDbClient oracle, String instance, Duration handlerDelay) {
		this.oracle = oracle;
		this.instance = instance;
		this.handlerDelay = handlerDelay;
	}

	@DynamoTrigger(table = EVENTS, viewType = ViewType.NEW_IMAGE, events = EventType.INSERT)
	void onEvent(ItemChange<Map<String, AttributeValue>> change, TriggerContext context) throws InterruptedException {
		Map<String, AttributeValue> event = change.newImage();
		if (event.containsKey("poison")) {
			throw new IllegalStateException(
					"Poison record " + event.get("key").s() + "/" + event.get("seq").n() + " is never handled");
		}
		if (!this.handlerDelay.isZero()) {
			Thread.sleep(this.handlerDelay.toMillis());
		}
		record(event.get("key"), event.get("seq"), Map.of("shard", AttributeValue.fromS(context.shardId()), "streamSeq",
				AttributeValue.fromS(change.sequenceNumber())));
	}

	/**
	 * Writes the oracle item of one call.
	 * @param key the record's key attribute
	 * @param seq the record's sequence number attribute
	 * @param details further attributes of the oracle item
	 */
	void record(AttributeValue key, AttributeValue seq, Map<String, AttributeValue> details) {
		long at = System.currentTimeMillis();
		long callNo = this.calls.incrementAndGet();
		Map<String, AttributeValue> item = new HashMap<>(details);
		item.putAll(Map.of("call", AttributeValue.fromS(this.instance + "#" + callNo), "key", key, "seq", seq,
				"instance", AttributeValue.fromS(this.instance), "callNo", AttributeValue.fromN(Long.toString(callNo)),
				"at", AttributeValue.fromN(Long.toString(at))));
		this.oracle.putItem((put) -> put.tableName(CALLS).item(item));
		if (callNo % 50 == 0) {
			System.out.println("HANDLED " + callNo);
		}
	}

}
