package io.dynamotrigger.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.ViewType;
import io.dynamotrigger.WindowContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A tumbling-window trigger on the {@code Events} table whose state lists the window's records as
 * {@code key/seq@createdEpochSecond}; each final call writes the window's final state to the {@code Windows}
 * oracle table, {@code (id = instance#n, windowStart, shard, records)}, so that the suite can check that
 * every record is in exactly one closed window, the window of its creation time, across a {@code kill -9}.
 */
class WindowRecorder {

	static final String WINDOWS = "Windows";

	private final DynamoDbClient oracle;

	private final String instance;

	private final AtomicLong finals = new AtomicLong();

	WindowRecorder(DynamoDbClient oracle, String instance) {
		this.oracle = oracle;
		this.instance = instance;
	}

	@DynamoTrigger(table = CallRecorder.EVENTS, viewType = ViewType.NEW_IMAGE, events = EventType.INSERT,
			window = "${reliability.window}")
	Records onWindow(List<ItemChange<Map<String, AttributeValue>>> changes, Records state, WindowContext context) {
		if (context.finalInvokeForWindow()) {
			long n = this.finals.incrementAndGet();
			this.oracle.putItem((put) -> put.tableName(WINDOWS)
				.item(Map.of("id", AttributeValue.fromS(this.instance + "#" + n), "windowStart",
						AttributeValue.fromN(Long.toString(context.windowStart().getEpochSecond())), "shard",
						AttributeValue.fromS(context.shardId()), "records",
						AttributeValue.fromS(String.join(",", (state != null) ? state.records() : List.of())))));
			System.out.println("WINDOW " + context.windowStart() + " " + ((state != null) ? state.records().size() : 0));
			return state;
		}
		List<String> records = new ArrayList<>((state != null) ? state.records() : List.of());
		for (ItemChange<Map<String, AttributeValue>> change : changes) {
			Map<String, AttributeValue> event = change.newImage();
			records.add(event.get("key").s() + "/" + event.get("seq").n() + "@"
					+ change.approximateCreationTime().getEpochSecond());
		}
		return new Records(records);
	}

	/**
	 * A window's state: its records.
	 * @param records {@code key/seq@createdEpochSecond}, in stream order
	 */
	record Records(List<String> records) {
	}

}
