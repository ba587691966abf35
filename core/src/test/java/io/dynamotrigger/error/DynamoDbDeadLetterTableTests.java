package io.dynamotrigger.error;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import io.dynamotrigger.StreamRecords;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

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
		this.deadLetters = new DynamoDbDeadLetterTable(this.dynamoDb, "DeadLetters" + tables.incrementAndGet(), null);
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
				assertThat(stored.change().newImage()).isEqualTo(image);
				assertThat(stored.change().oldImage()).isEmpty();
			});
	}

	@Test
	void everyFieldOfTheStreamRecordIsStoredAndReadBack() {
		DeadLetterRecord deadLetter = deadLetter(Map.of("id", AttributeValue.fromS("item-1")), Map.of());

		this.deadLetters.handle(deadLetter);

		assertThat(this.deadLetters.list("trigger", FAILED_AT, FAILED_AT.plusSeconds(1))).singleElement()
			.satisfies((stored) -> {
				assertThat(stored.source()).isEqualTo(deadLetter.source());
				assertThat(stored.change()).isEqualTo(deadLetter.change());
				assertThat(stored.toStreamRecord()).isEqualTo(deadLetter.toStreamRecord());
				assertThat(stored.toStreamRecord().userIdentity().principalId()).isEqualTo("dynamodb.amazonaws.com");
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
				assertThat(stored.change().oldImage()).isEqualTo(oldImage);
				assertThat(stored.change().newImage()).isEqualTo(newImage);
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
				assertThat(stored.change().keys()).containsEntry("id", AttributeValue.fromS("item-1"));
				assertThat(stored.source().sequenceNumber()).isEqualTo("100");
				assertThat(stored.change().newImage()).isEmpty();
			});
	}

	@Test
	void deadLetterThatDoesNotFitEvenCompressedIsKeptWholeInTheOverflowAndDeletedWithIt(LocalDynamoDb local) {
		byte[] noise = new byte[300_000];
		new Random(7).nextBytes(noise);
		Map<String, AttributeValue> image = Map.of("id", AttributeValue.fromS("item-1"), "noise",
				AttributeValue.fromB(SdkBytes.fromByteArray(noise)));
		String bucket = "dead-letters-" + tables.incrementAndGet();
		try (S3Client s3 = local.configure(S3Client.builder()).forcePathStyle(true).build()) {
			s3.createBucket((create) -> create.bucket(bucket));
			DynamoDbDeadLetterTable withOverflow = new DynamoDbDeadLetterTable(this.dynamoDb,
					this.deadLetters.tableName(), new S3DeadLetterOverflow(s3, bucket));
			DeadLetterRecord deadLetter = deadLetter(image, image);

			withOverflow.handle(deadLetter);

			assertThat(storedItem()).containsEntry("overflowKey", AttributeValue.fromS(DeadLetterOverflow.keyOf(deadLetter)))
				.doesNotContainKeys("oldImage", "newImage", "imagesGzip", "imagesOmitted");
			assertThat(s3.listObjectsV2((list) -> list.bucket(bucket)).contents()).singleElement()
				.satisfies((object) -> assertThat(object.key()).isEqualTo(DeadLetterOverflow.keyOf(deadLetter)));
			DeadLetterRecord stored = withOverflow.list("trigger", FAILED_AT, FAILED_AT.plusSeconds(1)).get(0);
			assertThat(stored.change()).isEqualTo(deadLetter.change());
			assertThat(stored.source()).isEqualTo(deadLetter.source());

			withOverflow.delete(stored);

			assertThat(withOverflow.count("trigger")).isZero();
			assertThat(s3.listObjectsV2((list) -> list.bucket(bucket)).contents()).isEmpty();
		}
	}

	@Test
	void overflowBucketThatDoesNotExistFailsThePreparationNamingTheProperty(LocalDynamoDb local) {
		try (S3Client s3 = local.configure(S3Client.builder()).forcePathStyle(true).build()) {
			DynamoDbDeadLetterTable withOverflow = new DynamoDbDeadLetterTable(this.dynamoDb,
					this.deadLetters.tableName(), new S3DeadLetterOverflow(s3, "no-such-bucket"));

			assertThatIllegalStateException().isThrownBy(withOverflow::prepare)
				.withMessage("S3 bucket 'no-such-bucket' for dead letters too large for their destination"
						+ " (dynamo-trigger.dead-letter.s3-bucket) does not exist. Create it, or remove the property.");
		}
	}

	@Test
	void exceptionIsStoredAsItsClassNameMessageAndStackHeadAndReadBackAsThose() {
		IllegalStateException exception = new IllegalStateException("boom");
		DeadLetterRecord deadLetter = DeadLetterRecord.of("trigger", "Reviews", "shard-1",
				StreamRecords.record(OperationType.INSERT, "100", null, StreamRecords.review("item-1", 5, "ok")),
				DeadLetterReason.RETRIES_EXHAUSTED, exception, 3, FAILED_AT, FAILED_AT);

		this.deadLetters.handle(deadLetter);

		assertThat(storedItem()).containsEntry("exceptionClass", AttributeValue.fromS(IllegalStateException.class.getName()))
			.containsEntry("exceptionMessage", AttributeValue.fromS("boom"))
			.containsEntry("stackHead", AttributeValue.fromS(deadLetter.failure().stackHead()));
		assertThat(this.deadLetters.list("trigger", FAILED_AT, FAILED_AT.plusSeconds(1))).singleElement()
			.satisfies((stored) -> {
				assertThat(stored.failure().exception()).isNull();
				assertThat(stored.failure().exceptionClass()).isEqualTo(IllegalStateException.class.getName());
				assertThat(stored.failure().exceptionMessage()).isEqualTo("boom");
				assertThat(stored.failure().stackHead()).isEqualTo(deadLetter.failure().stackHead());
			});
	}

	private Map<String, AttributeValue> storedItem() {
		return this.dynamoDb.scan((scan) -> scan.tableName(this.deadLetters.tableName())).items().get(0);
	}

	private static DeadLetterRecord deadLetter(Map<String, AttributeValue> oldImage,
			Map<String, AttributeValue> newImage) {
		return new DeadLetterRecord(new DeadLetterRecord.Source("trigger", "Reviews", "shard-1", "100", "event-1",
				"aws:dynamodb", "1.1", "eu-west-1"),
				new DeadLetterRecord.Change("MODIFY", FAILED_AT, Map.of("id", AttributeValue.fromS("item-1")), oldImage,
						newImage, 512L, "NEW_AND_OLD_IMAGES",
						new DeadLetterRecord.UserIdentity("Service", "dynamodb.amazonaws.com")),
				new DeadLetterRecord.Failure(DeadLetterReason.RETRIES_EXHAUSTED, null,
						IllegalStateException.class.getName(), "failed", "java.lang.IllegalStateException: failed", 3,
						FAILED_AT, FAILED_AT));
	}

}
