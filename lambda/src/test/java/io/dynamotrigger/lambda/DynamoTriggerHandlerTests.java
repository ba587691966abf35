package io.dynamotrigger.lambda;

import java.util.Map;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import io.dynamotrigger.config.TriggerEndpointRegistrar;
import io.dynamotrigger.error.DeadLetterRedriver;
import io.dynamotrigger.listener.TriggerRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What the handler starts and refuses, without a stream.
 */
class DynamoTriggerHandlerTests {

	@Test
	void startsNoStreamConsumerAndNoClientOnlyConsumersUse() {
		try (DynamoTriggerHandler handler = handler("Reviews")) {
			var context = handler.getApplicationContext();

			assertThat(context.getBeanProvider(TriggerRegistry.class).getIfAvailable()).isNull();
			assertThat(context.getBeanFactory().containsSingleton("dynamoDbAsyncClient")).isFalse();
			assertThat(context.getBeanFactory().containsSingleton("dynamoDbStreamsClient")).isFalse();
			assertThat(Thread.getAllStackTraces().keySet()).noneMatch((thread) -> thread.getName().contains("Scheduler"));
		}
	}

	@Test
	void routerIsTheOnlyRegistrarAndNoRedriverExists() {
		try (DynamoTriggerHandler handler = handler("Reviews")) {
			var context = handler.getApplicationContext();

			assertThat(context.getBean(TriggerEndpointRegistrar.class)).isInstanceOf(StreamEventRouter.class);
			assertThat(context.getBeanProvider(DeadLetterRedriver.class).getIfAvailable()).isNull();
		}
	}

	@Test
	void recordsOfATableWithoutTriggerFailTheInvocationNamingTheTables() {
		try (DynamoTriggerHandler handler = handler("Other")) {
			DynamodbEvent event = StreamEvents.read("/reviews-stream-event.json");

			assertThatIllegalStateException().isThrownBy(() -> handler.handleRequest(event, null))
				.withMessageContaining("Records of table 'Reviews' arrived")
				.withMessageContaining("the triggers are on [Other]");
		}
	}

	@Test
	void recordsOfAnotherViewTypeFailTheInvocationSayingWhatToChange() {
		try (DynamoTriggerHandler handler = handler("Reviews")) {
			DynamodbEvent event = StreamEvents.read("/reviews-stream-event.json");
			event.getRecords().forEach((record) -> record.getDynamodb().setStreamViewType(com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType.KEYS_ONLY));

			assertThatIllegalStateException().isThrownBy(() -> handler.handleRequest(event, null))
				.withMessageContaining("has a stream of view type KEYS_ONLY but @DynamoTrigger");
		}
	}

	@Test
	void recordsFromSomethingOtherThanAStreamFailTheInvocationNamingTheArn() {
		try (DynamoTriggerHandler handler = handler("Reviews")) {
			DynamodbEvent event = StreamEvents.read("/reviews-stream-event.json");
			event.getRecords().forEach((record) -> record.setEventSourceARN("arn:aws:sqs:queue"));

			assertThatIllegalArgumentException().isThrownBy(() -> handler.handleRequest(event, null))
				.withMessageContaining("Not a DynamoDB stream ARN");
		}
	}

	@Test
	void handlerWithoutApplicationClassSaysHowToNameIt() {
		assertThatIllegalStateException().isThrownBy(DynamoTriggerHandler::new)
			.withMessageContaining("Set the environment variable MAIN_CLASS");
	}

	private static DynamoTriggerHandler handler(String table) {
		SpringApplication application = new SpringApplication(ReviewTriggers.Application.class);
		application.setDefaultProperties(Map.of("test.table", table, "dynamo-trigger.aws.region", "us-east-1",
				"spring.main.banner-mode", "off"));
		return new DynamoTriggerHandler(application);
	}

}
