package io.dynamotrigger.error;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DynamoDbDeadLetterTable} on the local endpoint, with dead letters of every size and shape a stream
 * record can have.
 */
@LocalDynamoDbTest
class DynamoDbDeadLetterTableTests {

	private static final AtomicInteger tables = new AtomicInteger();

	private static final Instant FAILED_AT = Instant.parse("2026-05-01T10:15:30Z");

	private DynamoDbClient dynamoDb;

	private DynamoDbDeadLetterTable deadLetters;

	@BeforeEach
	void createTable(LocalDynamoDb local) {
		this.dynamoDb = local.configure(DynamoDbClient.builder()).build();
		this.deadLetters = new DynamoDbDeadLetterTable(this.dynamoDb, "DeadLetters" + tables.incrementAndGet());
		this.deadLetters.prepare();
	}

	@AfterEach
	void deleteTable() {
		this.dynamoDb.deleteTable((table) -> table.tableName(this.deadLetters.tableName()));
		this.dynamoDb.close();
	}

	@Test
	void everyAttributeTypeIsStoredAndReadBackAsTheStreamCarriedIt() {
		Map<String, AttributeValue> image = new HashMap<>(Map.of("id", AttributeValue.fromS("item-1")));
		image.put("count", AttributeValue.fromN("42"));
		image.put("blob", AttributeValue.fromB(SdkBytes.fromUtf8String("bytes")));
		image.put("flag", AttributeValue.fromBool(true));
		image.put("nothing", AttributeValue.fromNul(true));
		image.put("tags", AttributeValue.fromSs(List.of("a", "b")));
		image.put("scores", AttributeValue.fromNs(List.of("1", "2.5")));
		image.put("blobs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("x"))));
		image.put("list", AttributeValue.fromL(List.of(AttributeValue.fromS("one"), AttributeValue.fromN("2"))));
		image.put("map", AttributeValue.fromM(Map.of("inner", AttributeValue.fromS("value"))));

		this.deadLetters.handle(deadLetter(Map.of(), image));

		assertThat(this.deadLetters.list("trigger", FAILED_AT, FAILED_AT.plusSeconds(1))).singleElement()
			.satisfies((stored) -> {
				assertThat(stored.newImage()).isEqualTo(image);
				assertThat(stored.oldImage()).isEmpty();
			});
	}

	@Test
	void imagesTooLargeForOneItemAreStoredCompressedAndReadBackWhole() {
		Map<String, AttributeValue> oldImage = Map.of("id", AttributeValue.fromS("item-1"), "text",
				AttributeValue.fromS("old ".repeat(75_000)));
		Map<String, AttributeValue> newImage = Map.of("id", AttributeValue.fromS("item-1"), "text",
				AttributeValue.fromS("new ".repeat(75_000)));

		this.deadLetters.handle(deadLetter(oldImage, newImage));

		Map<String, AttributeValue> item = storedItem();
		assertThat(item).containsKey("imagesGzip").doesNotContainKeys("oldImage", "newImage", "imagesOmitted");
		assertThat(this.deadLetters.list("trigger", FAILED_AT, FAILED_AT.plusSeconds(1))).singleElement()
			.satisfies((stored) -> {
				assertThat(stored.oldImage()).isEqualTo(oldImage);
				assertThat(stored.newImage()).isEqualTo(newImage);
			});
	}

	@Test
	void imagesThatDoNotFitEvenCompressedAreLeftOutAndTheDeadLetterIsStillStored() {
		byte[] noise = new byte[300_000];
		new Random(7).nextBytes(noise);
		Map<String, AttributeValue> image = Map.of("id", AttributeValue.fromS("item-1"), "noise",
				AttributeValue.fromB(SdkBytes.fromByteArray(noise)));

		this.deadLetters.handle(deadLetter(image, image));

		Map<String, AttributeValue> item = storedItem();
		assertThat(item).containsEntry("imagesOmitted", AttributeValue.fromBool(true))
			.doesNotContainKeys("oldImage", "newImage", "imagesGzip");
		assertThat(this.deadLetters.list("trigger", FAILED_AT, FAILED_AT.plusSeconds(1))).singleElement()
			.satisfies((stored) -> {
				assertThat(stored.keys()).containsEntry("id", AttributeValue.fromS("item-1"));
				assertThat(stored.sequenceNumber()).isEqualTo("100");
				assertThat(stored.newImage()).isEmpty();
			});
	}

	private Map<String, AttributeValue> storedItem() {
		return this.dynamoDb.scan((scan) -> scan.tableName(this.deadLetters.tableName())).items().get(0);
	}

	private static DeadLetterRecord deadLetter(Map<String, AttributeValue> oldImage,
			Map<String, AttributeValue> newImage) {
		return new DeadLetterRecord("trigger", "Reviews", "shard-1", "100", "event-1", "MODIFY", FAILED_AT,
				Map.of("id", AttributeValue.fromS("item-1")), oldImage, newImage, DeadLetterReason.RETRIES_EXHAUSTED,
				IllegalStateException.class.getName(), "failed", "java.lang.IllegalStateException: failed", 3,
				FAILED_AT, FAILED_AT);
	}

}
