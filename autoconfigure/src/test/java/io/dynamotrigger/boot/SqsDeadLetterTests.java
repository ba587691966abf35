package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.error.DeadLetterHandler;
import io.dynamotrigger.error.DeadLetterRedriver;
import io.dynamotrigger.error.DynamoDbDeadLetterTable;
import io.dynamotrigger.error.SqsDeadLetterQueue;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dead letters sent to an SQS queue of the local endpoint, for all triggers or for one.
 */
@ExtendWith(LocalDynamoDbExtension.class)
class SqsDeadLetterTests {

	@Test
	void deadLetterArrivesInTheQueueAsJsonWithTheWholeRecord(LocalDynamoDb local) throws Exception {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		try (SqsClient sqs = sqs(local)) {
			String queueUrl = sqs.createQueue((queue) -> queue.queueName(table.name + "-dead-letters")).queueUrl();

			TestContexts.runner(table)
				.withUserConfiguration(AlwaysFailing.class)
				.withPropertyValues("dynamo-trigger.dead-letter.sqs-queue-url=" + queueUrl,
						"dynamo-trigger.retry.max-attempts=1")
				.run((context) -> {
					assertThat(context.getBean(DeadLetterHandler.class)).isInstanceOf(SqsDeadLetterQueue.class);
					table.put("p", "r1", 2, "cannot be handled");

					List<Message> messages = receive(sqs, queueUrl);

					assertThat(messages).hasSize(1);
					assertThat(messages.get(0).messageAttributes().get("triggerId").stringValue())
						.isEqualTo("always-failing");
					JsonNode json = new ObjectMapper().readTree(messages.get(0).body());
					assertThat(json.get("table").asText()).isEqualTo(table.name);
					assertThat(json.get("eventType").asText()).isEqualTo("INSERT");
					assertThat(json.get("keys").get("reviewId").get("S").asText()).isEqualTo("r1");
					assertThat(json.get("newImage").get("text").get("S").asText()).isEqualTo("cannot be handled");
					assertThat(json.get("newImage").get("rating").get("N").asText()).isEqualTo("2");
					assertThat(json.get("exceptionMessage").asText()).isEqualTo("always");
					assertThat(json.get("attempts").asInt()).isEqualTo(1);
				});
		}
	}

	@Test
	void triggerWithItsOwnQueueDeadLettersThereWhileTheGlobalDestinationIsTheTable(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		try (SqsClient sqs = sqs(local)) {
			String queueUrl = sqs.createQueue((queue) -> queue.queueName(table.name + "-own-dead-letters")).queueUrl();

			TestContexts.runner(table)
				.withUserConfiguration(AlwaysFailing.class)
				.withPropertyValues("dynamo-trigger.triggers.always-failing.dead-letter.sqs-queue-url=" + queueUrl,
						"dynamo-trigger.retry.max-attempts=1")
				.run((context) -> {
					assertThat(context.getBean(DeadLetterHandler.class)).isInstanceOf(DynamoDbDeadLetterTable.class);
					table.put("p", "r1", 2, "cannot be handled");

					List<Message> messages = receive(sqs, queueUrl);

					assertThat(messages).singleElement()
						.satisfies((message) -> assertThat(message.messageAttributes().get("triggerId").stringValue())
							.isEqualTo("always-failing"));
				});
		}
	}

	@Test
	void deadLettersAreRedrivenFromTheQueueAndOtherMessagesAreLeft(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		try (SqsClient sqs = sqs(local)) {
			String queueUrl = sqs.createQueue((queue) -> queue.queueName(table.name + "-redrive")).queueUrl();
			sqs.sendMessage((message) -> message.queueUrl(queueUrl).messageBody("not a dead letter"));

			TestContexts.runner(table)
				.withUserConfiguration(FailingUntilFixed.class)
				.withPropertyValues("dynamo-trigger.dead-letter.sqs-queue-url=" + queueUrl,
						"dynamo-trigger.retry.max-attempts=1")
				.run((context) -> {
					FailingUntilFixed trigger = context.getBean(FailingUntilFixed.class);
					DeadLetterRedriver redriver = context.getBean(DeadLetterRedriver.class);
					table.put("p", "r1", 2, "first");
					table.put("p", "r2", 3, "second");
					awaitVisibleMessages(sqs, queueUrl, 3);

					assertThat(redriver.redrive("until-fixed")).isEqualTo(new DeadLetterRedriver.Result(0, 2));
					awaitVisibleMessages(sqs, queueUrl, 3);

					trigger.fixed = true;
					assertThat(redriver.redrive("until-fixed")).isEqualTo(new DeadLetterRedriver.Result(2, 0));

					assertThat(trigger.handled).containsExactlyInAnyOrder("r1 first", "r2 second");
					assertThat(receive(sqs, queueUrl)).singleElement()
						.satisfies((message) -> assertThat(message.body()).isEqualTo("not a dead letter"));
				});
		}
	}

	@Test
	void deadLetterTooLargeForAMessageIsKeptInTheBucketAndRedrivenWhole(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
		String text = "x".repeat(300_000);
		try (SqsClient sqs = sqs(local);
				S3Client s3 = local.configure(S3Client.builder()).forcePathStyle(true).build()) {
			String queueUrl = sqs.createQueue((queue) -> queue.queueName(table.name + "-large")).queueUrl();
			String bucket = table.name.toLowerCase(Locale.ROOT) + "-overflow";
			s3.createBucket((create) -> create.bucket(bucket));

			TestContexts.runner(table)
				.withUserConfiguration(FailingUntilFixed.class)
				.withPropertyValues("dynamo-trigger.dead-letter.sqs-queue-url=" + queueUrl,
						"dynamo-trigger.dead-letter.s3-bucket=" + bucket, "dynamo-trigger.retry.max-attempts=1")
				.run((context) -> {
					FailingUntilFixed trigger = context.getBean(FailingUntilFixed.class);
					table.put("p", "r1", 2, text);
					awaitVisibleMessages(sqs, queueUrl, 1);
					assertThat(s3.listObjectsV2((list) -> list.bucket(bucket)).contents()).hasSize(1);

					trigger.fixed = true;
					assertThat(context.getBean(DeadLetterRedriver.class).redrive("until-fixed"))
						.isEqualTo(new DeadLetterRedriver.Result(1, 0));

					assertThat(trigger.handled).containsExactly("r1 " + text);
					assertThat(s3.listObjectsV2((list) -> list.bucket(bucket)).contents()).isEmpty();
					awaitVisibleMessages(sqs, queueUrl, 0);
				});
		}
	}

	private static void awaitVisibleMessages(SqsClient sqs, String queueUrl, int count) {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		int visible = -1;
		while (visible != count && System.nanoTime() < deadline) {
			visible = Integer.parseInt(sqs
				.getQueueAttributes((attributes) -> attributes.queueUrl(queueUrl)
					.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
				.attributes()
				.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
		}
		assertThat(visible).as("visible messages in " + queueUrl).isEqualTo(count);
	}

	private static List<Message> receive(SqsClient sqs, String queueUrl) {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		List<Message> messages = List.of();
		while (messages.isEmpty() && System.nanoTime() < deadline) {
			messages = sqs.receiveMessage((receive) -> receive.queueUrl(queueUrl)
				.waitTimeSeconds(1)
				.maxNumberOfMessages(10)
				.messageAttributeNames("All")).messages();
		}
		return messages;
	}

	private static SqsClient sqs(LocalDynamoDb local) {
		return local.configure(SqsClient.builder()).build();
	}

	static class FailingUntilFixed {

		final List<String> handled = new CopyOnWriteArrayList<>();

		volatile boolean fixed;

		@DynamoTrigger(table = "${test.table}", id = "until-fixed")
		void onReview(ItemChange<Review> change) {
			if (!this.fixed) {
				throw new IllegalStateException("not fixed yet");
			}
			this.handled.add(change.newImage().getReviewId() + " " + change.newImage().getText());
		}

	}

	static class AlwaysFailing {

		@DynamoTrigger(table = "${test.table}", id = "always-failing")
		void onReview(ItemChange<Review> change) {
			throw new IllegalStateException("always");
		}

	}

}
