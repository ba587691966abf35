package io.dynamotrigger.bench;

import java.lang.reflect.Method;
import java.net.URI;
import java.util.EnumSet;
import java.util.List;

import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.ViewType;
import io.dynamotrigger.config.TriggerEndpoint;
import io.dynamotrigger.config.TriggerEndpointRegistrar;
import io.dynamotrigger.kcl.TrimmedRecordsDetector;
import io.dynamotrigger.listener.HandlerInvoker;
import io.dynamotrigger.metrics.TriggerMetrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ReflectionUtils;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * An application with one trigger on each of {@code bench.tables} (comma-separated), everything else at
 * dynamo-trigger's defaults. Its AWS clients are the ones the starter would build (endpoint, region, local
 * credentials, the streams client's {@link TrimmedRecordsDetector}) plus a {@link RequestCounter}: the
 * starter backs off when the application defines its own.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
class IdleTablesApplication {

	@Bean
	RequestCounter requestCounter(@Value("${dynamo-trigger.application-name}") String applicationName) {
		return new RequestCounter(applicationName);
	}

	@Bean(destroyMethod = "close")
	DynamoDbClient dynamoDbClient(@Value("${dynamo-trigger.aws.endpoint}") URI endpoint, RequestCounter requests) {
		return counted(DynamoDbClient.builder(), endpoint, requests).build();
	}

	@Bean(destroyMethod = "close")
	DynamoDbAsyncClient dynamoDbAsyncClient(@Value("${dynamo-trigger.aws.endpoint}") URI endpoint,
			RequestCounter requests) {
		return counted(DynamoDbAsyncClient.builder(), endpoint, requests).build();
	}

	@Bean(destroyMethod = "close")
	DynamoDbStreamsClient dynamoDbStreamsClient(@Value("${dynamo-trigger.aws.endpoint}") URI endpoint,
			RequestCounter requests, ObjectProvider<TriggerMetrics> metrics) {
		TrimmedRecordsDetector trimmedRecords = new TrimmedRecordsDetector(
				() -> metrics.getIfAvailable(() -> TriggerMetrics.NONE));
		return counted(DynamoDbStreamsClient.builder(), endpoint, requests)
			.overrideConfiguration((config) -> config.addExecutionInterceptor(requests)
				.addExecutionInterceptor(trimmedRecords))
			.build();
	}

	private static <B extends AwsClientBuilder<B, ?>> B counted(B builder, URI endpoint, RequestCounter requests) {
		return builder.endpointOverride(endpoint)
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
			.overrideConfiguration((config) -> config.addExecutionInterceptor(requests));
	}

	@Bean
	IdleTriggers idleTriggers(@Value("${bench.tables}") List<String> tables, Arrivals arrivals,
			ObjectProvider<TriggerEndpointRegistrar> registrar) {
		return new IdleTriggers(tables, arrivals, registrar);
	}

	/**
	 * Registers one trigger per table, as the annotation's post-processor would for one
	 * {@code @DynamoTrigger(table = ...)} method per table: an annotation's table is fixed per method, and
	 * the benchmark needs up to 50.
	 */
	static final class IdleTriggers implements SmartInitializingSingleton {

		private static final Method ON_ITEM = ReflectionUtils.findMethod(TableTrigger.class, "onItem", ItemChange.class);

		private final List<String> tables;

		private final Arrivals arrivals;

		private final ObjectProvider<TriggerEndpointRegistrar> registrar;

		IdleTriggers(List<String> tables, Arrivals arrivals, ObjectProvider<TriggerEndpointRegistrar> registrar) {
			this.tables = tables;
			this.arrivals = arrivals;
			this.registrar = registrar;
		}

		@Override
		public void afterSingletonsInstantiated() {
			TriggerEndpointRegistrar registrar = this.registrar.getObject();
			EnumSet<EventType> events = EnumSet.allOf(EventType.class);
			for (String table : this.tables) {
				HandlerInvoker invoker = HandlerInvoker.prepare(new TableTrigger(table, this.arrivals), ON_ITEM,
						ViewType.NEW_AND_OLD_IMAGES, events);
				registrar.register(new TriggerEndpoint("rest-" + table, table, ViewType.NEW_AND_OLD_IMAGES, events,
						invoker));
			}
		}

	}

	/**
	 * The trigger of one table: notes the table's records as arrived.
	 */
	public static final class TableTrigger {

		private final String table;

		private final Arrivals arrivals;

		TableTrigger(String table, Arrivals arrivals) {
			this.table = table;
			this.arrivals = arrivals;
		}

		/**
		 * Called for each record of the table.
		 * @param change the record
		 */
		public void onItem(ItemChange<BenchItem> change) {
			this.arrivals.arrived(this.table);
		}

	}

}
