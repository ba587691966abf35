package io.dynamotrigger.reliability;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.ViewType;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The trigger under test: writes one oracle item per call, {@code (call = instance#callNo, key, seq,
 * instance, callNo, at)}, so that the suite can count lost records, duplicates and per-key order
 * violations across processes. Prints {@code HANDLED n} every 50 calls for the suite to follow progress.
 */
class CallRecorder {

	static final String EVENTS = "Events";

	static final String CALLS = "Calls";

	private final DynamoDbClient oracle;

	private final String instance;

	private final AtomicLong calls = new AtomicLong();

	CallRecorder(DynamoDbClient oracle, String instance) {
		this.oracle = oracle;
		this.instance = instance;
	}

	@DynamoTrigger(table = EVENTS, viewType = ViewType.NEW_IMAGE, events = EventType.INSERT)
	void onEvent(ItemChange<Map<String, AttributeValue>> change) {
		long at = System.currentTimeMillis();
		long callNo = this.calls.incrementAndGet();
		Map<String, AttributeValue> event = change.newImage();
		this.oracle.putItem((put) -> put.tableName(CALLS)
			.item(Map.of("call", AttributeValue.fromS(this.instance + "#" + callNo), "key", event.get("key"), "seq",
					event.get("seq"), "instance", AttributeValue.fromS(this.instance), "callNo",
					AttributeValue.fromN(Long.toString(callNo)), "at", AttributeValue.fromN(Long.toString(at)))));
		if (callNo % 50 == 0) {
			System.out.println("HANDLED " + callNo);
		}
	}

}
