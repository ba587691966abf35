package io.dynamotrigger.error;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Writes a dead letter as JSON, with keys and images in DynamoDB JSON ({@code {"S": "..."}},
 * {@code {"N": "..."}}, ...), the form the AWS CLI and Lambda's stream events use.
 */
final class DeadLetterJson {

	private static final JsonNodeFactory nodes = JsonNodeFactory.instance;

	private DeadLetterJson() {
	}

	/**
	 * Writes a dead letter; when the result would exceed {@code maxBytes}, the images are left out and
	 * {@code "imagesOmitted": true} says so.
	 * @param deadLetter the dead letter
	 * @param maxBytes the largest message the destination takes
	 * @return the JSON text
	 */
	static String write(DeadLetterRecord deadLetter, int maxBytes) {
		ObjectNode json = describe(deadLetter);
		String full = json.toString();
		if (full.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
			return full;
		}
		json.remove("oldImage");
		json.remove("newImage");
		json.put("imagesOmitted", true);
		json.put("note", "The images made the message larger than " + maxBytes
				+ " bytes; read them from the table or the stream by keys and sequence number.");
		return json.toString();
	}

	private static ObjectNode describe(DeadLetterRecord deadLetter) {
		ObjectNode json = nodes.objectNode();
		json.put("triggerId", deadLetter.triggerId());
		json.put("table", deadLetter.table());
		json.put("shardId", deadLetter.shardId());
		json.put("sequenceNumber", deadLetter.sequenceNumber());
		json.put("eventId", deadLetter.eventId());
		json.put("eventType", deadLetter.eventName());
		if (deadLetter.approximateCreationTime() != null) {
			json.put("approximateCreationTime", deadLetter.approximateCreationTime().toString());
		}
		json.set("keys", item(deadLetter.keys()));
		json.set("oldImage", item(deadLetter.oldImage()));
		json.set("newImage", item(deadLetter.newImage()));
		json.put("reason", deadLetter.reason().name());
		json.put("exceptionClass", deadLetter.exceptionClass());
		json.put("exceptionMessage", deadLetter.exceptionMessage());
		json.put("stackHead", deadLetter.stackHead());
		json.put("attempts", deadLetter.attempts());
		json.put("firstFailure", deadLetter.firstFailure().toString());
		json.put("lastFailure", deadLetter.lastFailure().toString());
		return json;
	}

	private static ObjectNode item(Map<String, AttributeValue> attributes) {
		ObjectNode item = nodes.objectNode();
		attributes.forEach((name, value) -> item.set(name, value(value)));
		return item;
	}

	private static ObjectNode value(AttributeValue value) {
		ObjectNode json = nodes.objectNode();
		switch (value.type()) {
			case S -> json.put("S", value.s());
			case N -> json.put("N", value.n());
			case B -> json.put("B", base64(value.b()));
			case BOOL -> json.put("BOOL", value.bool());
			case NUL -> json.put("NULL", true);
			case M -> json.set("M", item(value.m()));
			case L -> {
				ArrayNode list = json.putArray("L");
				value.l().forEach((element) -> list.add(value(element)));
			}
			case SS -> value.ss().forEach(json.putArray("SS")::add);
			case NS -> value.ns().forEach(json.putArray("NS")::add);
			case BS -> {
				ArrayNode list = json.putArray("BS");
				value.bs().forEach((bytes) -> list.add(base64(bytes)));
			}
			default -> throw new IllegalArgumentException("Attribute value of unknown type: " + value);
		}
		return json;
	}

	private static String base64(SdkBytes bytes) {
		return Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe());
	}

}
