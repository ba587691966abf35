package io.dynamotrigger.lambda;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import io.dynamotrigger.boot.DynamoTriggerAutoConfiguration;
import io.dynamotrigger.boot.DynamoTriggerClientsAutoConfiguration;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same trigger bean driven by a KCL consumer on the local endpoint and by {@link DynamoTriggerHandler}
 * with a DynamoDB Streams event in the shape AWS documents (src/test/resources/reviews-stream-event.json,
 * the same four changes): the triggers get the same calls.
 */
@ExtendWith(LocalDynamoDbExtension.class)
class LambdaAndKclTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final List<String> EVERY = List.of(
			"every INSERT p1/r1 -->4 'good' changed [productId, rating, reviewId, text] attempt 1",
			"every MODIFY p1/r1 4->2 'worse' changed [rating, text] attempt 1",
			"every MODIFY p1/r1 2->2 'worse, edited' changed [text] attempt 1",
			"every REMOVE p1/r1 2->- - changed [productId, rating, reviewId, text] attempt 1");

	private static final List<String> RATING_CHANGED = List.of(
			"ratingChanged MODIFY p1/r1 4->2 'worse' changed [rating, text]");

	@Test
	void lambdaEventCallsTheTriggersAsTheKclConsumerDoes(LocalDynamoDb local) {
		List<String> lambdaCalls;
		try (DynamoTriggerHandler handler = handler()) {
			StreamsEventResponse response = handler.handleRequest(StreamEvents.read("/reviews-stream-event.json"), null);

			assertThat(response.getBatchItemFailures()).isEmpty();
			lambdaCalls = handler.getApplicationContext().getBean(ReviewTriggers.class).calls;
		}
		List<String> kclCalls = kclCalls(local);

		for (String trigger : List.of("every", "batch", "ratingChanged")) {
			assertThat(only(lambdaCalls, trigger)).as(trigger).isEqualTo(only(kclCalls, trigger));
		}
		assertThat(only(lambdaCalls, "every")).isEqualTo(EVERY);
		assertThat(only(lambdaCalls, "batch")).isEqualTo(EVERY.stream()
			.map((call) -> call.replace("every ", "batch ").replace(" attempt 1", ""))
			.toList());
		assertThat(only(lambdaCalls, "ratingChanged")).isEqualTo(RATING_CHANGED);
	}

	@Test
	void failingRecordIsReportedAsTheBatchItemFailureAndNothingAfterItIsCalled() {
		DynamodbEvent event = StreamEvents.read("/reviews-stream-event.json");
		event.getRecords().get(1).getDynamodb().getNewImage().put("text", new AttributeValue().withS("boom"));

		try (DynamoTriggerHandler handler = handler()) {
			StreamsEventResponse response = handler.handleRequest(event, null);
			ReviewTriggers triggers = handler.getApplicationContext().getBean(ReviewTriggers.class);

			assertThat(response.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
				.containsExactly("4421584600000000017450439092");
			assertThat(triggers.calls).containsExactly(EVERY.get(0), "batch " + EVERY.get(0)
				.substring("every ".length())
				.replace(" attempt 1", ""));
		}
	}

	@Test
	void retriedInvocationFromTheFailedRecordCompletesTheRead() {
		DynamodbEvent event = StreamEvents.read("/reviews-stream-event.json");
		try (DynamoTriggerHandler handler = handler()) {
			ReviewTriggers triggers = handler.getApplicationContext().getBean(ReviewTriggers.class);
			event.getRecords().get(2).getDynamodb().getNewImage().put("text", new AttributeValue().withS("boom"));
			StreamsEventResponse first = handler.handleRequest(event, null);
			event.getRecords().get(2).getDynamodb().getNewImage().put("text", new AttributeValue().withS("worse, edited"));
			event.setRecords(event.getRecords().subList(2, 4));
			StreamsEventResponse retry = handler.handleRequest(event, null);

			assertThat(first.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
				.containsExactly("4421584700000000017450439093");
			assertThat(retry.getBatchItemFailures()).isEmpty();
			assertThat(triggers.calls("every")).isEqualTo(EVERY);
			assertThat(triggers.calls("ratingChanged")).isEqualTo(RATING_CHANGED);
		}
	}

	private static DynamoTriggerHandler handler() {
		SpringApplication application = new SpringApplication(ReviewTriggers.Application.class);
		application.setDefaultProperties(Map.of("test.table", "Reviews", "dynamo-trigger.aws.region", "us-east-1",
				"spring.main.banner-mode", "off"));
		return new DynamoTriggerHandler(application);
	}

	private static List<String> kclCalls(LocalDynamoDb local) {
		DynamoDbClient client = local.configure(DynamoDbClient.builder()).build();
		String table = "LambdaReviews" + System.nanoTime() % 1_000_000;
		client.createTable((create) -> create.tableName(table)
			.billingMode("PAY_PER_REQUEST")
			.attributeDefinitions((a) -> a.attributeName("productId").attributeType(ScalarAttributeType.S),
					(a) -> a.attributeName("reviewId").attributeType(ScalarAttributeType.S))
			.keySchema((k) -> k.attributeName("productId").keyType(KeyType.HASH),
					(k) -> k.attributeName("reviewId").keyType(KeyType.RANGE))
			.streamSpecification((stream) -> stream.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
		List<String>[] calls = new List[1];
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DynamoTriggerClientsAutoConfiguration.class,
					DynamoTriggerAutoConfiguration.class, DynamoTriggerLambdaAutoConfiguration.class))
			.withUserConfiguration(ReviewTriggers.class)
			.withPropertyValues("test.table=" + table, "spring.application.name=lambda-kcl-" + table,
					"dynamo-trigger.fast-failover=true")
			.run((context) -> {
				put(client, table, 4, "good");
				put(client, table, 2, "worse");
				put(client, table, 2, "worse, edited");
				client.deleteItem((delete) -> delete.tableName(table).key(key()));
				ReviewTriggers triggers = context.getBean(ReviewTriggers.class);
				long deadline = System.nanoTime() + TIMEOUT.toNanos();
				while (System.nanoTime() < deadline
						&& (triggers.calls("every").size() < 4 || triggers.calls("batch").size() < 4)) {
					Thread.sleep(20);
				}
				calls[0] = List.copyOf(triggers.calls);
			});
		return calls[0];
	}

	private static void put(DynamoDbClient client, String table, int rating, String text) {
		Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = new java.util.HashMap<>(key());
		item.put("rating", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN(Integer.toString(rating)));
		item.put("text", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(text));
		client.putItem((put) -> put.tableName(table).item(item));
	}

	private static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> key() {
		return Map.of("productId", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("p1"), "reviewId",
				software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("r1"));
	}

	private static List<String> only(List<String> calls, String trigger) {
		return calls.stream().filter((call) -> call.startsWith(trigger + " ")).toList();
	}

}
