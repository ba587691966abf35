package io.dynamotrigger.boot;


import java.net.URI;
import java.util.ArrayList;
import java.util.List;

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
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsServiceClientConfiguration;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbServiceClientConfiguration;
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
			.hasSingleBean(TriggerRegistry.class)
			.hasSingleBean(DynamoTriggerAnnotationBeanPostProcessor.class));
	}

	@Test
	void clientsUseTheConfiguredEndpointAndRegion() {
		this.runner.run((context) -> {
			for (SdkClient client : List.of(context.getBean(DynamoDbClient.class),
					context.getBean(DynamoDbAsyncClient.class), context.getBean(DynamoDbStreamsClient.class))) {
				AwsServiceClientConfiguration configuration = (AwsServiceClientConfiguration) client
					.serviceClientConfiguration();
				assertThat(configuration.endpointOverride()).contains(URI.create("http://127.0.0.1:1"));
				assertThat(configuration.region()).isEqualTo(Region.EU_WEST_1);
			}
		});
	}

	@Test
	void noCloudWatchClientAsKclMetricsAreOff() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CloudWatchAsyncClient.class));
	}

	@Test
	void clientBeansOfTheApplicationWin() {
		this.runner.withUserConfiguration(OwnClient.class).run((context) -> {
			assertThat(context).hasSingleBean(DynamoDbClient.class);
			assertThat(context.getBean(DynamoDbClient.class)).isSameAs(context.getBean(OwnClient.class).client);
		});
	}

	@Test
	void leaseAndStreamsClientsTakeRegionCredentialsAndEndpointOfTheApplicationsDynamoDbClient() {
		this.runner.withUserConfiguration(OwnClient.class).run((context) -> {
			DynamoDbServiceClientConfiguration own = context.getBean(DynamoDbClient.class).serviceClientConfiguration();
			for (AwsServiceClientConfiguration configuration : List.of(
					context.getBean(DynamoDbAsyncClient.class).serviceClientConfiguration(),
					context.getBean(DynamoDbStreamsClient.class).serviceClientConfiguration())) {
				assertThat(configuration.region()).isEqualTo(Region.EU_WEST_1);
				assertThat(configuration.credentialsProvider()).isSameAs(own.credentialsProvider());
				assertThat(configuration.endpointOverride()).isEqualTo(own.endpointOverride());
			}
		});
	}

	@Test
	void aRegionOtherThanThatOfTheApplicationsDynamoDbClientFailsTheStartNamingBoth() {
		this.runner.withPropertyValues("dynamo-trigger.aws.region=us-west-2")
			.withUserConfiguration(OwnClient.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("dynamo-trigger.aws.region is us-west-2")
				.hasMessageContaining("DynamoDbClient uses eu-west-1")
				.hasMessageContaining("spring.cloud.aws.region.static"));
	}

	@Test
	void anEndpointOtherThanThatOfTheApplicationsDynamoDbClientFailsTheStartNamingBoth() {
		this.runner.withPropertyValues("dynamo-trigger.aws.endpoint=http://127.0.0.1:2")
			.withUserConfiguration(OwnClient.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("dynamo-trigger.aws.endpoint is http://127.0.0.1:2")
				.hasMessageContaining("DynamoDbClient uses http://127.0.0.1:1"));
	}

	@Test
	void theLeaseClientsEventLoopIsTheStartersAndShutsDownWithTheContext() {
		List<LeaseClientEventLoop> loops = new ArrayList<>();
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(DynamoDbAsyncClient.class);
			loops.add(context.getBean(LeaseClientEventLoop.class));
			assertThat(loops.get(0).group().eventLoopGroup().isShuttingDown()).isFalse();
		});

		assertThat(loops.get(0).group().eventLoopGroup().isTerminated()).isTrue();
	}

	@Test
	void anApplicationsOwnLeaseClientGetsNoEventLoopOfTheStarters() {
		this.runner.withBean(DynamoDbAsyncClient.class, () -> DynamoDbAsyncClient.builder()
			.region(Region.EU_WEST_1)
			.endpointOverride(URI.create("http://127.0.0.1:1"))
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
			.build())
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(LeaseClientEventLoop.class));
	}

	@Test
	void aLeaseClientOfTheApplicationInAnotherRegionFailsTheStartNamingBoth() {
		this.runner.withBean(DynamoDbAsyncClient.class, () -> DynamoDbAsyncClient.builder()
			.region(Region.US_WEST_2)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
			.build()).run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("DynamoDbAsyncClient uses us-west-2 but its DynamoDbClient uses eu-west-1"));
	}

	@Test
	void theApplicationsRegionProviderGivesTheRegionWhenDynamoTriggerNamesNone() {
		// Without system properties: other tests of this JVM leave dynamo-trigger.aws.region there.
		new ApplicationContextRunner(DynamoTriggerAutoConfigurationTests::withoutSystemProperties)
			.withConfiguration(AutoConfigurations.of(DynamoTriggerClientsAutoConfiguration.class,
					DynamoTriggerAutoConfiguration.class))
			.withPropertyValues("dynamo-trigger.aws.endpoint=http://127.0.0.1:1")
			.withBean(AwsRegionProvider.class, () -> () -> Region.AP_SOUTHEAST_2)
			.run((context) -> {
				assertThat(context.getBean(DynamoDbClient.class).serviceClientConfiguration().region())
					.isEqualTo(Region.AP_SOUTHEAST_2);
				assertThat(context.getBean(DynamoDbStreamsClient.class).serviceClientConfiguration().region())
					.isEqualTo(Region.AP_SOUTHEAST_2);
			});
	}

	@Test
	void aRegionOtherThanTheApplicationsRegionProviderFailsTheStartNamingBoth() {
		this.runner.withBean(AwsRegionProvider.class, () -> () -> Region.AP_SOUTHEAST_2)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("dynamo-trigger.aws.region is eu-west-1")
				.hasMessageContaining("spring.cloud.aws.region.static) is ap-southeast-2"));
	}

	@Test
	void theApplicationsCredentialsProviderSignsTheClientsDynamoTriggerBuilds() {
		StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("c", "d"));
		this.runner.withBean(AwsCredentialsProvider.class, () -> credentials)
			.run((context) -> assertThat(
					context.getBean(DynamoDbStreamsClient.class).serviceClientConfiguration().credentialsProvider())
				.isSameAs(credentials));
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

	private static AnnotationConfigApplicationContext withoutSystemProperties() {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.getEnvironment().getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
		return context;
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnClient {

		final DynamoDbClient client = DynamoDbClient.builder()
			.region(Region.EU_WEST_1)
			.endpointOverride(URI.create("http://127.0.0.1:1"))
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
			.build();

		@Bean
		DynamoDbClient ownDynamoDbClient() {
			return this.client;
		}

	}

}
