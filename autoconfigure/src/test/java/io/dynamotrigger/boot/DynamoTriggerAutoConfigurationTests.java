package io.dynamotrigger.boot;

import java.net.URI;

import io.dynamotrigger.config.DynamoTriggerAnnotationBeanPostProcessor;
import io.dynamotrigger.config.TriggerEndpointRegistrar;
import io.dynamotrigger.error.DeadLetterHandler;
import io.dynamotrigger.error.DeadLetterRedriver;
import io.dynamotrigger.error.DynamoDbDeadLetterTable;
import io.dynamotrigger.listener.TriggerRegistry;
import io.dynamotrigger.metrics.MicrometerTriggerMetrics;
import io.dynamotrigger.metrics.TriggerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which beans the auto-configuration creates; no trigger is declared, so nothing reads a stream.
 */
class DynamoTriggerAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DynamoTriggerClientsAutoConfiguration.class,
				DynamoTriggerAutoConfiguration.class, DynamoTriggerRedriveAutoConfiguration.class))
		.withPropertyValues("dynamo-trigger.aws.endpoint=http://127.0.0.1:1", "dynamo-trigger.aws.region=eu-west-1");

	@Test
	void createsClientsRegistryAndPostProcessor() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(DynamoDbClient.class)
			.hasSingleBean(DynamoDbAsyncClient.class)
			.hasSingleBean(DynamoDbStreamsClient.class)
			.hasSingleBean(CloudWatchAsyncClient.class)
			.hasSingleBean(TriggerRegistry.class)
			.hasSingleBean(DynamoTriggerAnnotationBeanPostProcessor.class));
	}

	@Test
	void clientsUseTheConfiguredEndpointAndRegion() {
		this.runner.run((context) -> {
			DynamoDbClient client = context.getBean(DynamoDbClient.class);
			assertThat(client.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:1"));
			assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
		});
	}

	@Test
	void clientBeansOfTheApplicationWin() {
		this.runner.withUserConfiguration(OwnClient.class).run((context) -> {
			assertThat(context).hasSingleBean(DynamoDbClient.class);
			assertThat(context.getBean(DynamoDbClient.class)).isSameAs(context.getBean(OwnClient.class).client);
		});
	}

	@Test
	void disabledCreatesNothing() {
		this.runner.withPropertyValues("dynamo-trigger.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TriggerRegistry.class)
				.doesNotHaveBean(DynamoTriggerAnnotationBeanPostProcessor.class)
				.doesNotHaveBean(DynamoDbClient.class));
	}

	@Test
	void micrometerMetricsOnlyWithAMeterRegistry() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(TriggerMetrics.class));
		this.runner.withBean(SimpleMeterRegistry.class)
			.run((context) -> assertThat(context).getBean(TriggerMetrics.class)
				.isInstanceOf(MicrometerTriggerMetrics.class));
	}

	@Test
	void healthIndicatorUnlessSwitchedOff() {
		ApplicationContextRunner actuator = this.runner
			.withConfiguration(AutoConfigurations.of(DynamoTriggerActuatorAutoConfiguration.class));

		actuator.run((context) -> assertThat(context).hasBean("dynamoTriggerHealthIndicator"));
		actuator.withPropertyValues("management.health.dynamoTrigger.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("dynamoTriggerHealthIndicator"));
	}

	@Test
	void endpointOnlyWhenExposed() {
		ApplicationContextRunner actuator = this.runner
			.withConfiguration(AutoConfigurations.of(DynamoTriggerActuatorAutoConfiguration.class));

		actuator.run((context) -> assertThat(context).doesNotHaveBean(DynamoTriggersEndpoint.class));
		actuator.withPropertyValues("management.endpoints.web.exposure.include=dynamotriggers")
			.run((context) -> assertThat(context).hasSingleBean(DynamoTriggersEndpoint.class));
	}

	@Test
	void ownDeadLetterHandlerReplacesTheTableAndItsRedriver() {
		this.runner.withBean(DeadLetterHandler.class, () -> (deadLetter) -> {
		}).run((context) -> assertThat(context).doesNotHaveBean(DynamoDbDeadLetterTable.class)
			.doesNotHaveBean(DeadLetterRedriver.class)
			.hasSingleBean(DeadLetterHandler.class));
	}

	@Test
	void anotherRegistrarReplacesTheRegistryAndItsRedriver() {
		this.runner.withBean(TriggerEndpointRegistrar.class, () -> (endpoint) -> {
		}).run((context) -> assertThat(context).doesNotHaveBean(TriggerRegistry.class)
			.doesNotHaveBean(DeadLetterRedriver.class)
			.hasSingleBean(TriggerEndpointRegistrar.class));
	}

	@Test
	void registryComesWithARedriver() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(DeadLetterRedriver.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnClient {

		final DynamoDbClient client = DynamoDbClient.builder()
			.region(Region.US_WEST_2)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
			.build();

		@Bean
		DynamoDbClient ownDynamoDbClient() {
			return this.client;
		}

	}

}
