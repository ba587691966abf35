package io.dynamotrigger.boot;

import java.time.Clock;
import java.util.List;

import io.dynamotrigger.backfill.BackfillMetrics;
import io.dynamotrigger.backfill.Backfills;
import io.dynamotrigger.backfill.MicrometerBackfillMetrics;
import io.dynamotrigger.config.AwsClients;
import io.dynamotrigger.config.ConsumerSettings;
import io.dynamotrigger.config.DynamoTriggerAnnotationBeanPostProcessor;
import io.dynamotrigger.config.TriggerEndpointRegistrar;
import io.dynamotrigger.error.DeadLetterDestinations;
import io.dynamotrigger.error.DeadLetterHandler;
import io.dynamotrigger.error.DeadLetterOverflow;
import io.dynamotrigger.error.DynamoDbDeadLetterTable;
import io.dynamotrigger.error.S3DeadLetterOverflow;
import io.dynamotrigger.error.SqsDeadLetterQueue;
import io.dynamotrigger.idempotency.Idempotency;
import io.dynamotrigger.listener.TriggerRegistry;
import io.dynamotrigger.metrics.MicrometerTriggerMetrics;
import io.dynamotrigger.metrics.TriggerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Finds {@code @DynamoTrigger} methods and runs their stream consumers.
 */
@AutoConfiguration(after = DynamoTriggerClientsAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnProperty(prefix = "dynamo-trigger", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(DynamoTriggerProperties.class)
public final class DynamoTriggerAutoConfiguration {

	/**
	 * Finds the triggers; a trigger's filter patterns are those of the bound
	 * {@code dynamo-trigger.triggers.<id>.filter}, when set.
	 */
	@Bean
	@ConditionalOnMissingBean
	static DynamoTriggerAnnotationBeanPostProcessor dynamoTriggerAnnotationBeanPostProcessor(
			ObjectProvider<DynamoTriggerProperties> properties) {
		return new DynamoTriggerAnnotationBeanPostProcessor((id) -> {
			DynamoTriggerProperties.Trigger trigger = properties.getObject().triggers().get(id);
			return (trigger != null) ? trigger.filter() : List.of();
		});
	}

	/**
	 * The settings of the consumers and triggers, built from the properties once they are checked: a property
	 * out of range, or one that no longer exists, fails the start here, whether the streams are read or
	 * records are handed in.
	 */
	@Bean
	@ConditionalOnMissingBean
	ConsumerSettings dynamoTriggerConsumerSettings(DynamoTriggerProperties properties, Environment environment) {
		return ConsumerSettingsFactory.create(properties, environment);
	}

	/**
	 * The registry that reads the streams, unless the application has another {@link TriggerEndpointRegistrar}:
	 * its own registry, or the Lambda module's router (records are handed in and no stream is read).
	 */
	@Bean
	@ConditionalOnMissingBean(TriggerEndpointRegistrar.class)
	TriggerRegistry dynamoTriggerRegistry(DynamoTriggerProperties properties, ConsumerSettings settings,
			DynamoDbClient dynamoDb, DynamoDbAsyncClient dynamoDbAsync, DynamoDbStreamsClient streams,
			DeadLetterHandler deadLetters,
			ObjectProvider<DeadLetterDestinations> destinations, ObjectProvider<TriggerMetrics> metrics,
			ObjectProvider<ObservationRegistry> observations, ObjectProvider<BackfillMetrics> backfillMetrics,
			ObjectProvider<Idempotency> idempotency) {
		DeadLetterDestinations ownDestinations = destinations.getIfAvailable();
		DeadLetterHandler deadLetterHandler = (ownDestinations != null) ? ownDestinations.handler()
				: DeadLetterDestinationsFactory.applicationHandler(deadLetters, properties);
		AwsClients clients = SingleRegionClients.of(properties.aws(), dynamoDb, dynamoDbAsync, streams);
		ObservationRegistry observationRegistry = properties.observationEnabled()
				? observations.getIfAvailable(() -> ObservationRegistry.NOOP) : ObservationRegistry.NOOP;
		Backfills backfills = new Backfills(clients, BackfillSettingsFactory.of(properties),
				backfillMetrics.getIfAvailable(() -> BackfillMetrics.NONE), Clock.systemUTC());
		TriggerRegistry registry = new TriggerRegistry(clients, settings, deadLetterHandler,
				metrics.getIfAvailable(() -> TriggerMetrics.NONE), observationRegistry, backfills);
		registry.setIdempotency(idempotency.getIfAvailable(() -> Idempotency.NONE));
		return registry;
	}

	/**
	 * Trigger metrics in Micrometer, when the application has a {@link MeterRegistry}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MicrometerMetrics {

		@Bean
		@ConditionalOnMissingBean
		TriggerMetrics dynamoTriggerMetrics(MeterRegistry registry) {
			return new MicrometerTriggerMetrics(registry);
		}

		@Bean
		@ConditionalOnMissingBean
		BackfillMetrics dynamoTriggerBackfillMetrics(MeterRegistry registry) {
			return new MicrometerBackfillMetrics(registry);
		}

	}

	/**
	 * The SQS client of the dead-letter queues, when the global or a trigger's dead-letter destination is an
	 * SQS queue and the application has no client of its own.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SqsClient.class)
	@Conditional(OnSqsDeadLetterQueueCondition.class)
	static class SqsDeadLetterClient {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		SqsClient sqsClient(AwsClientSettings settings) {
			return settings.apply(SqsClient.builder()).build();
		}

	}

	/**
	 * Dead letters in the global destination and in the tables or queues that triggers name, unless the
	 * application defines its own {@link DeadLetterHandler}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(DeadLetterHandler.class)
	static class DeadLetters {

		@Bean
		DeadLetterDestinations dynamoTriggerDeadLetterDestinations(DeadLetterHandler global,
				DynamoTriggerProperties properties, DynamoDbClient dynamoDb, BeanFactory beanFactory,
				ObjectProvider<DeadLetterOverflow> overflow) {
			return DeadLetterDestinationsFactory.create(global, properties, dynamoDb, beanFactory,
					overflow.getIfAvailable());
		}

		/**
		 * Dead letters too large for their table or queue are kept whole in the S3 bucket that
		 * {@code dynamo-trigger.dead-letter.s3-bucket} names.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(S3Client.class)
		@ConditionalOnProperty(prefix = "dynamo-trigger.dead-letter", name = "s3-bucket")
		static class S3Overflow {

			@Bean(destroyMethod = "close")
			@ConditionalOnMissingBean
			S3Client s3Client(AwsClientSettings settings) {
				// A local endpoint serves buckets by path, not by host name.
				return settings.apply(S3Client.builder()).forcePathStyle(settings.hasEndpoint()).build();
			}

			@Bean
			S3DeadLetterOverflow dynamoTriggerDeadLetterOverflow(S3Client s3, DynamoTriggerProperties properties) {
				return new S3DeadLetterOverflow(s3, properties.deadLetter().s3Bucket());
			}

		}

		/**
		 * {@code dynamo-trigger.dead-letter.s3-bucket} is set without the S3 SDK: the start fails naming the
		 * property and the dependency.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnMissingClass("software.amazon.awssdk.services.s3.S3Client")
		@ConditionalOnProperty(prefix = "dynamo-trigger.dead-letter", name = "s3-bucket")
		static class S3OverflowWithoutS3 {

			@Bean
			DeadLetterOverflow dynamoTriggerDeadLetterOverflow() {
				throw new IllegalStateException("dynamo-trigger.dead-letter.s3-bucket is set but"
						+ " software.amazon.awssdk:s3 is not on the classpath. Add that dependency (version from the AWS"
						+ " SDK BOM), or remove the property.");
			}

		}

		/**
		 * The global destination is an SQS queue when {@code dynamo-trigger.dead-letter.sqs-queue-url} is set.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(SqsClient.class)
		@ConditionalOnProperty(prefix = "dynamo-trigger.dead-letter", name = "sqs-queue-url")
		static class SqsQueue {

			@Bean
			SqsDeadLetterQueue dynamoTriggerSqsDeadLetterQueue(SqsClient sqs, DynamoTriggerProperties properties,
					ObjectProvider<DeadLetterOverflow> overflow) {
				return new SqsDeadLetterQueue(sqs, properties.deadLetter().sqsQueueUrl(), overflow.getIfAvailable());
			}

		}

		/**
		 * {@code dynamo-trigger.dead-letter.sqs-queue-url} is set without the SQS SDK: the start fails naming the
		 * property and the dependency, rather than with a missing bean.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnMissingClass(DeadLetterDestinationsFactory.SQS_CLIENT)
		@ConditionalOnProperty(prefix = "dynamo-trigger.dead-letter", name = "sqs-queue-url")
		static class SqsQueueWithoutSqs {

			@Bean
			DeadLetterHandler dynamoTriggerSqsDeadLetterQueue() {
				throw DeadLetterDestinationsFactory.sqsMissing("dynamo-trigger.dead-letter.");
			}

		}

		/**
		 * The global destination is a DynamoDB table unless an SQS queue is named.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnExpression("'${dynamo-trigger.dead-letter.sqs-queue-url:}'.isEmpty()")
		static class DynamoDbTable {

			@Bean
			DynamoDbDeadLetterTable dynamoTriggerDeadLetterTable(DynamoTriggerProperties properties,
					Environment environment, DynamoDbClient dynamoDb, ObjectProvider<DeadLetterOverflow> overflow) {
				String tableName = (properties.deadLetter().tableName() != null) ? properties.deadLetter().tableName()
						: ConsumerSettingsFactory.applicationName(properties, environment) + "-dead-letters";
				return new DynamoDbDeadLetterTable(dynamoDb, tableName, overflow.getIfAvailable());
			}

		}

	}

}
