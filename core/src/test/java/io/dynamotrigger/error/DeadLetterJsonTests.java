package io.dynamotrigger.error;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterJsonTests {

	private static final ObjectMapper mapper = new ObjectMapper();

	@Test
	void everyAttributeKindIsWrittenAsDynamoDbJson() throws Exception {
		Map<String, AttributeValue> image = Map.of("s", AttributeValue.fromS("text"), "n", AttributeValue.fromN("4.5"),
				"b", AttributeValue.fromB(SdkBytes.fromUtf8String("hi")), "bool", AttributeValue.fromBool(true),
				"null", AttributeValue.fromNul(true), "m", AttributeValue.fromM(Map.of("x", AttributeValue.fromN("1"))),
				"l", AttributeValue.fromL(List.of(AttributeValue.fromS("a"))), "ss", AttributeValue.fromSs(List.of("a")),
				"ns", AttributeValue.fromNs(List.of("1")),
				"bs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("hi"))));

		JsonNode json = mapper.readTree(DeadLetterJson.write(deadLetter(image), 1_000_000));

		JsonNode written = json.get("newImage");
		assertThat(written.get("s").get("S").asText()).isEqualTo("text");
		assertThat(written.get("n").get("N").asText()).isEqualTo("4.5");
		assertThat(written.get("b").get("B").asText()).isEqualTo("aGk=");
		assertThat(written.get("bool").get("BOOL").asBoolean()).isTrue();
		assertThat(written.get("null").get("NULL").asBoolean()).isTrue();
		assertThat(written.get("m").get("M").get("x").get("N").asText()).isEqualTo("1");
		assertThat(written.get("l").get("L").get(0).get("S").asText()).isEqualTo("a");
		assertThat(written.get("ss").get("SS").get(0).asText()).isEqualTo("a");
		assertThat(written.get("ns").get("NS").get(0).asText()).isEqualTo("1");
		assertThat(written.get("bs").get("BS").get(0).asText()).isEqualTo("aGk=");
		assertThat(json.get("keys").get("id").get("S").asText()).isEqualTo("r1");
		assertThat(json.get("reason").asText()).isEqualTo("RETRIES_EXHAUSTED");
		assertThat(json.get("attempts").asInt()).isEqualTo(5);
		assertThat(json.has("imagesOmitted")).isFalse();
	}

	@Test
	void imagesAreLeftOutWhenTheMessageWouldBeTooLarge() throws Exception {
		Map<String, AttributeValue> image = Map.of("text", AttributeValue.fromS("x".repeat(10_000)));

		JsonNode json = mapper.readTree(DeadLetterJson.write(deadLetter(image), 5_000));

		assertThat(json.has("newImage")).isFalse();
		assertThat(json.get("imagesOmitted").asBoolean()).isTrue();
		assertThat(json.get("keys").get("id").get("S").asText()).isEqualTo("r1");
		assertThat(json.get("sequenceNumber").asText()).isEqualTo("100");
	}

	private static DeadLetterRecord deadLetter(Map<String, AttributeValue> newImage) {
		Instant failure = Instant.parse("2026-11-25T12:00:00Z");
		return new DeadLetterRecord(new DeadLetterRecord.Source("trigger", "Reviews", "shard-1", "100", "event-1",
				"aws:dynamodb", "1.1", "eu-west-1"),
				new DeadLetterRecord.Change("INSERT", failure, Map.of("id", AttributeValue.fromS("r1")), Map.of(),
						newImage, 120L, "NEW_IMAGE", null),
				new DeadLetterRecord.Failure(DeadLetterReason.RETRIES_EXHAUSTED, null, "java.lang.IllegalStateException",
						"boom", "java.lang.IllegalStateException: boom", 5, failure, failure));
	}

}
