package io.dynamotrigger.error;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

	private static final ObjectMapper mapper = new ObjectMapper();

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

	/**
	 * Writes a dead letter kept whole in an overflow: everything but the images, and the overflow's key in
	 * {@code "overflowKey"}.
	 * @param deadLetter the dead letter
	 * @param overflowKey where the whole dead letter is kept
	 * @return the JSON text
	 */
	static String writeReference(DeadLetterRecord deadLetter, String overflowKey) {
		ObjectNode json = describe(deadLetter);
		json.remove("oldImage");
		json.remove("newImage");
		json.put("overflowKey", overflowKey);
		return json.toString();
	}

	/**
	 * Reads a dead letter that {@link #write} wrote; images it left out are read as empty.
	 * @param text the JSON text
	 * @return the dead letter, without the exception itself (its class, message and stack head are kept)
	 * @throws IllegalArgumentException if the text is not a dead letter
	 */
	static DeadLetterRecord read(String text) {
		return read(text, (key) -> {
			throw new IllegalArgumentException("Dead letter kept in an overflow (" + key + "), which is not known here");
		});
	}

	/**
	 * Reads a dead letter that {@link #write} or {@link #writeReference} wrote, the latter from the overflow.
	 * @param text the JSON text
	 * @param overflow loads a dead letter by the key the text refers to
	 * @return the dead letter, without the exception itself (its class, message and stack head are kept)
	 * @throws IllegalArgumentException if the text is not a dead letter
	 */
	static DeadLetterRecord read(String text, Function<String, DeadLetterRecord> overflow) {
		JsonNode json;
		try {
			json = mapper.readTree(text);
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("Not a dead letter: " + ex.getMessage(), ex);
		}
		if (json == null || !json.hasNonNull("triggerId") || !json.hasNonNull("sequenceNumber")) {
			throw new IllegalArgumentException("Not a dead letter: no triggerId or sequenceNumber");
		}
		if (json.hasNonNull("overflowKey")) {
			return overflow.apply(json.get("overflowKey").asText());
		}
		JsonNode identity = json.get("userIdentity");
		return new DeadLetterRecord(
				new DeadLetterRecord.Source(text(json, "triggerId"), text(json, "table"), text(json, "shardId"),
						text(json, "sequenceNumber"), text(json, "eventId"), text(json, "eventSource"),
						text(json, "eventVersion"), text(json, "awsRegion")),
				new DeadLetterRecord.Change(text(json, "eventType"), instant(json, "approximateCreationTime"),
						readItem(json.get("keys")), json.hasNonNull("oldImage") ? readItem(json.get("oldImage")) : Map.of(),
						json.hasNonNull("newImage") ? readItem(json.get("newImage")) : Map.of(),
						json.hasNonNull("sizeBytes") ? json.get("sizeBytes").longValue() : null,
						text(json, "streamViewType"),
						(identity != null && identity.isObject())
								? new DeadLetterRecord.UserIdentity(text(identity, "type"), text(identity, "principalId"))
								: null),
				new DeadLetterRecord.Failure(DeadLetterReason.valueOf(text(json, "reason")), null,
						text(json, "exceptionClass"), text(json, "exceptionMessage"), text(json, "stackHead"),
						json.get("attempts").intValue(), instant(json, "firstFailure"), instant(json, "lastFailure")));
	}

	private static String text(JsonNode json, String field) {
		JsonNode value = json.get(field);
		return (value != null && !value.isNull()) ? value.asText() : null;
	}

	private static Instant instant(JsonNode json, String field) {
		String value = text(json, field);
		return (value != null) ? Instant.parse(value) : null;
	}

	/**
	 * Compresses a dead letter's images: gzip of {@code {"oldImage": ..., "newImage": ...}} in DynamoDB JSON.
	 * @param deadLetter the dead letter
	 * @return the compressed images
	 * @see #decompressImages(byte[])
	 */
	static byte[] compressImages(DeadLetterRecord deadLetter) {
		ObjectNode images = nodes.objectNode();
		images.set("oldImage", item(deadLetter.change().oldImage()));
		images.set("newImage", item(deadLetter.change().newImage()));
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
			mapper.writeValue(gzip, images);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	/**
	 * Reads images that {@link #compressImages(DeadLetterRecord)} wrote.
	 * @param compressed the compressed images
	 * @return the old image (first) and the new image (second)
	 */
	static List<Map<String, AttributeValue>> decompressImages(byte[] compressed) {
		try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
			JsonNode images = mapper.readTree(gzip);
			return List.of(readItem(images.get("oldImage")), readItem(images.get("newImage")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Map<String, AttributeValue> readItem(JsonNode item) {
		Map<String, AttributeValue> attributes = new LinkedHashMap<>();
		item.fields().forEachRemaining((field) -> attributes.put(field.getKey(), readValue(field.getValue())));
		return attributes;
	}

	private static AttributeValue readValue(JsonNode json) {
		Map.Entry<String, JsonNode> typed = json.fields().next();
		JsonNode value = typed.getValue();
		return switch (typed.getKey()) {
			case "S" -> AttributeValue.fromS(value.textValue());
			case "N" -> AttributeValue.fromN(value.textValue());
			case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(value.textValue())));
			case "BOOL" -> AttributeValue.fromBool(value.booleanValue());
			case "NULL" -> AttributeValue.fromNul(true);
			case "M" -> AttributeValue.fromM(readItem(value));
			case "L" -> AttributeValue.fromL(readList(value, DeadLetterJson::readValue));
			case "SS" -> AttributeValue.fromSs(readList(value, JsonNode::textValue));
			case "NS" -> AttributeValue.fromNs(readList(value, JsonNode::textValue));
			case "BS" -> AttributeValue.fromBs(readList(value,
					(element) -> SdkBytes.fromByteArray(Base64.getDecoder().decode(element.textValue()))));
			default -> throw new IllegalArgumentException("Attribute value of unknown type: " + json);
		};
	}

	private static <T> List<T> readList(JsonNode array, Function<JsonNode, T> element) {
		List<T> list = new ArrayList<>(array.size());
		array.forEach((node) -> list.add(element.apply(node)));
		return list;
	}

	private static ObjectNode describe(DeadLetterRecord deadLetter) {
		DeadLetterRecord.Source source = deadLetter.source();
		DeadLetterRecord.Change change = deadLetter.change();
		DeadLetterRecord.Failure failure = deadLetter.failure();
		ObjectNode json = nodes.objectNode();
		json.put("triggerId", source.triggerId());
		json.put("table", source.table());
		json.put("shardId", source.shardId());
		json.put("sequenceNumber", source.sequenceNumber());
		json.put("eventId", source.eventId());
		json.put("eventType", change.eventName());
		if (change.approximateCreationTime() != null) {
			json.put("approximateCreationTime", change.approximateCreationTime().toString());
		}
		json.put("eventSource", source.eventSource());
		json.put("eventVersion", source.eventVersion());
		json.put("awsRegion", source.awsRegion());
		json.put("sizeBytes", change.sizeBytes());
		json.put("streamViewType", change.streamViewType());
		if (change.userIdentity() != null) {
			json.putObject("userIdentity")
				.put("type", change.userIdentity().type())
				.put("principalId", change.userIdentity().principalId());
		}
		json.set("keys", item(change.keys()));
		json.set("oldImage", item(change.oldImage()));
		json.set("newImage", item(change.newImage()));
		json.put("reason", failure.reason().name());
		json.put("exceptionClass", failure.exceptionClass());
		json.put("exceptionMessage", failure.exceptionMessage());
		json.put("stackHead", failure.stackHead());
		json.put("attempts", failure.attempts());
		json.put("firstFailure", failure.firstFailure().toString());
		json.put("lastFailure", failure.lastFailure().toString());
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
