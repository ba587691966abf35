package io.dynamotrigger.boot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.dynamotrigger.error.DeadLetterDestinations;
import io.dynamotrigger.error.DeadLetterHandler;
import io.dynamotrigger.error.DeadLetterOverflow;
import io.dynamotrigger.error.DynamoDbDeadLetterTable;
import io.dynamotrigger.error.SqsDeadLetterQueue;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the dead-letter destinations the properties describe: the global one, and the own table or queue
 * of each trigger that names one. Triggers naming the same table or queue (the global one included) share
 * one destination.
 */
final class DeadLetterDestinationsFactory {

	/** The class whose absence means the SQS SDK is not on the classpath. */
	static final String SQS_CLIENT = "software.amazon.awssdk.services.sqs.SqsClient";

	private DeadLetterDestinationsFactory() {
	}

	static DeadLetterDestinations create(DeadLetterHandler global, DynamoTriggerProperties properties,
			DynamoDbClient dynamoDb, BeanFactory beanFactory, DeadLetterOverflow overflow) {
		checkOneDestination("dynamo-trigger.dead-letter.", properties.deadLetter());
		Map<String, DynamoDbDeadLetterTable> tables = new LinkedHashMap<>();
		Map<String, DeadLetterHandler> queues = new LinkedHashMap<>();
		if (global instanceof DynamoDbDeadLetterTable table) {
			tables.put(table.tableName(), table);
		}
		else if (StringUtils.hasText(properties.deadLetter().sqsQueueUrl())) {
			queues.put(properties.deadLetter().sqsQueueUrl(), global);
		}
		Map<String, DeadLetterHandler> own = new LinkedHashMap<>();
		properties.triggers().forEach((id, trigger) -> {
			String tableName = trigger.deadLetter().tableName();
			String queueUrl = trigger.deadLetter().sqsQueueUrl();
			String prefix = "dynamo-trigger.triggers." + id + ".dead-letter.";
			checkOneDestination(prefix, trigger.deadLetter());
			if (StringUtils.hasText(tableName)) {
				own.put(id, tables.computeIfAbsent(tableName, (name) -> new DynamoDbDeadLetterTable(dynamoDb, name, overflow)));
			}
			else if (StringUtils.hasText(queueUrl)) {
				if (!ClassUtils.isPresent(SQS_CLIENT, beanClassLoader(beanFactory))) {
					throw sqsMissing(prefix);
				}
				own.put(id, queues.computeIfAbsent(queueUrl, (url) -> SqsQueues.queue(beanFactory, url, overflow)));
			}
		});
		return new DeadLetterDestinations(global, own);
	}

	/**
	 * The failure for a dead-letter queue named while the SQS SDK is not on the classpath.
	 * @param prefix the dead-letter properties' prefix, ending with a dot
	 * @return the exception to throw, naming the property and the dependency to add
	 */
	static IllegalStateException sqsMissing(String prefix) {
		return new IllegalStateException(prefix + "sqs-queue-url is set but software.amazon.awssdk:sqs is not on the"
				+ " classpath. Add that dependency (version from the AWS SDK BOM), or remove the property to keep"
				+ " dead letters in the DynamoDB table.");
	}

	private static ClassLoader beanClassLoader(BeanFactory beanFactory) {
		return (beanFactory instanceof ConfigurableBeanFactory configurable) ? configurable.getBeanClassLoader()
				: DeadLetterDestinationsFactory.class.getClassLoader();
	}

	private static void checkOneDestination(String prefix, DynamoTriggerProperties.DeadLetter deadLetter) {
		if (StringUtils.hasText(deadLetter.tableName()) && StringUtils.hasText(deadLetter.sqsQueueUrl())) {
			throw new IllegalStateException(prefix + "table-name and " + prefix + "sqs-queue-url are both set;"
					+ " dead letters go to one destination, set one of them.");
		}
	}

	/**
	 * Returns the application's own dead-letter handler, after checking that no trigger names a
	 * destination of its own: the application's handler takes the dead letters of every trigger.
	 * @throws IllegalStateException if a trigger names a dead-letter table or queue
	 */
	static DeadLetterHandler applicationHandler(DeadLetterHandler handler, DynamoTriggerProperties properties) {
		List<String> named = properties.triggers()
			.entrySet()
			.stream()
			.filter((entry) -> StringUtils.hasText(entry.getValue().deadLetter().tableName())
					|| StringUtils.hasText(entry.getValue().deadLetter().sqsQueueUrl()))
			.map((entry) -> "dynamo-trigger.triggers." + entry.getKey() + ".dead-letter.*")
			.toList();
		if (!named.isEmpty()) {
			throw new IllegalStateException("The application defines its own DeadLetterHandler ("
					+ handler.getClass().getName() + "), which takes the dead letters of every trigger, so " + named
					+ " cannot apply. Remove the property, or route by DeadLetterRecord.source().triggerId() in the handler.");
		}
		return handler;
	}

	/**
	 * Kept apart so that the SQS classes are loaded only when a trigger names a queue.
	 */
	private static final class SqsQueues {

		static DeadLetterHandler queue(BeanFactory beanFactory, String url, DeadLetterOverflow overflow) {
			return new SqsDeadLetterQueue(beanFactory.getBean(SqsClient.class), url, overflow);
		}

	}

}
