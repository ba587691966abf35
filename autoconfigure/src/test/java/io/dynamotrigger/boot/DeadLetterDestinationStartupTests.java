package io.dynamotrigger.boot;

import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dead-letter queue or overflow bucket named while its SDK is not on the classpath, or an overflow bucket named
 * for one trigger, stops the start with a message that names the property and what to change (the other
 * destination mistakes are in {@link ConsumerSettingsFactoryTests}).
 */
@ExtendWith(LocalDynamoDbExtension.class)
class DeadLetterDestinationStartupTests {

	private static final String QUEUE_URL = "http://127.0.0.1:1/000000000000/dead-letters";

	@Test
	void globalQueueWithoutTheSqsSdkFailsTheStartNamingTheDependency(LocalDynamoDb local) {
		TestContexts.runner(new ReviewsTable(local))
			.withClassLoader(new FilteredClassLoader(SqsClient.class))
			.withPropertyValues("dynamo-trigger.dead-letter.sqs-queue-url=" + QUEUE_URL)
			.run((context) -> assertThat(startupFailure(context)).contains(
					"dynamo-trigger.dead-letter.sqs-queue-url is set but software.amazon.awssdk:sqs is not on the"
							+ " classpath. Add that dependency")
				.doesNotContain("NoSuchBeanDefinitionException"));
	}

	@Test
	void triggerQueueWithoutTheSqsSdkFailsTheStartNamingTheDependency(LocalDynamoDb local) {
		TestContexts.runner(new ReviewsTable(local))
			.withClassLoader(new FilteredClassLoader(SqsClient.class))
			.withPropertyValues("dynamo-trigger.triggers.audit.dead-letter.sqs-queue-url=" + QUEUE_URL)
			.run((context) -> assertThat(startupFailure(context)).contains(
					"dynamo-trigger.triggers.audit.dead-letter.sqs-queue-url is set but software.amazon.awssdk:sqs is"
							+ " not on the classpath. Add that dependency"));
	}

	@Test
	void overflowBucketWithoutTheS3SdkFailsTheStartNamingTheDependency(LocalDynamoDb local) {
		TestContexts.runner(new ReviewsTable(local))
			.withClassLoader(new FilteredClassLoader(S3Client.class))
			.withPropertyValues("dynamo-trigger.dead-letter.s3-bucket=dead-letters")
			.run((context) -> assertThat(startupFailure(context)).contains(
					"dynamo-trigger.dead-letter.s3-bucket is set but software.amazon.awssdk:s3 is not on the"
							+ " classpath. Add that dependency"));
	}

	@Test
	void overflowBucketOfOneTriggerFailsTheStartNamingTheGlobalProperty(LocalDynamoDb local) {
		TestContexts.runner(new ReviewsTable(local))
			.withPropertyValues("dynamo-trigger.triggers.audit.dead-letter.s3-bucket=dead-letters")
			.run((context) -> assertThat(startupFailure(context)).contains(
					"dynamo-trigger.triggers.audit.dead-letter.s3-bucket is not a trigger setting",
					"set dynamo-trigger.dead-letter.s3-bucket."));
	}

	@Test
	void queueWithTheSqsSdkStarts(LocalDynamoDb local) {
		TestContexts.runner(new ReviewsTable(local))
			.withPropertyValues("dynamo-trigger.dead-letter.sqs-queue-url=" + QUEUE_URL)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	private static String startupFailure(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = context.getStartupFailure(); cause != null; cause = cause.getCause()) {
			messages.append(cause.getClass().getName()).append(": ").append(cause.getMessage()).append('\n');
		}
		return messages.toString();
	}

}
