package io.dynamotrigger.reliability;

import java.util.Collection;
import java.util.Map;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.EventType;
import io.dynamotrigger.ViewType;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The trigger of the bad-input scenario: maps {@code Inputs} items to {@link Input} and records each call
 * in the oracle with what the mapped item held ({@code received}), so that the suite can tell per item
 * whether it was handled and how; items that do not map are dead-lettered by the framework.
 */
class InputRecorder {

	static final String INPUTS = "Inputs";

	private final CallRecorder calls;

	InputRecorder(CallRecorder calls) {
		this.calls = calls;
	}

	@DynamoTrigger(table = INPUTS, viewType = ViewType.NEW_IMAGE, events = EventType.INSERT)
	void onInput(Input input) {
		String received = "count=" + input.getCount() + " note=" + length(input.getNote()) + " tags="
				+ size(input.getTags()) + " numbers=" + size(input.getNumbers()) + " payload="
				+ ((input.getPayload() != null) ? input.getPayload().asByteArray().length : "null") + " blobs="
				+ size(input.getBlobs()) + " labels=" + size(input.getLabels());
		this.calls.record(AttributeValue.fromS(input.getKey()), AttributeValue.fromN(Integer.toString(input.getSeq())),
				Map.of("received", AttributeValue.fromS(received)));
	}

	private static String length(String text) {
		return (text != null) ? Integer.toString(text.length()) : "null";
	}

	private static String size(Collection<?> values) {
		return (values != null) ? Integer.toString(values.size()) : "null";
	}

	private static String size(Map<?, ?> values) {
		return (values != null) ? Integer.toString(values.size()) : "null";
	}

}
