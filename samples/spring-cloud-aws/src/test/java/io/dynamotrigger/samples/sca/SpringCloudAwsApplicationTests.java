package io.dynamotrigger.samples.sca;

import java.util.List;

import io.dynamotrigger.test.LocalDynamoDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Runs the sample as its command does, against the local endpoint in Spring Cloud AWS's region
 * ({@code spring.cloud.aws.region.static: eu-west-3}), and checks which clients it runs on. Not a
 * {@code @LocalDynamoDbTest}: that names the endpoint and region in {@code dynamo-trigger.aws.*}, and this
 * application names them in {@code spring.cloud.aws.*} only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringCloudAwsApplicationTests {

	private static final Region SCA_REGION = Region.EU_WEST_3;

	private ConfigurableApplicationContext context;

	@BeforeAll
	void runTheSample() {
		this.context = SpringCloudAwsApplication.application().run();
	}

	@AfterAll
	void close() {
		this.context.close();
	}

	@Test
	void theTriggerShipsEveryNewOrder() {
		assertThat(this.context.getBean(ShopWorkload.class).getExitCode()).isZero();
	}

	@Test
	void theOnlyDynamoDbClientIsSpringCloudAwss() {
		assertThat(this.context.getBeanNamesForType(DynamoDbClient.class)).containsExactly("dynamoDbClient");
		AnnotatedBeanDefinition definition = (AnnotatedBeanDefinition) this.context.getBeanFactory()
			.getBeanDefinition("dynamoDbClient");
		assertThat(definition.getFactoryMethodMetadata().getDeclaringClassName())
			.startsWith("io.awspring.cloud.autoconfigure.dynamodb.DynamoDbAutoConfiguration");
	}

	@Test
	void noClientOrProviderTwiceAndNoCloudWatchClient() {
		for (Class<?> type : List.of(DynamoDbClient.class, DynamoDbAsyncClient.class, DynamoDbStreamsClient.class,
				AwsRegionProvider.class, AwsCredentialsProvider.class)) {
			assertThat(this.context.getBeanNamesForType(type)).as(type.getSimpleName()).hasSize(1);
		}
		assertThat(this.context.getBeanNamesForType(CloudWatchAsyncClient.class)).isEmpty();
	}

	@Test
	void leaseAndStreamsClientsUseSpringCloudAwssRegionAndCredentials() {
		AwsCredentialsProvider credentials = this.context.getBean(AwsCredentialsProvider.class);
		assertThat(this.context.getBean(DynamoDbClient.class).serviceClientConfiguration().region())
			.isEqualTo(SCA_REGION);
		assertThat(this.context.getBean(DynamoDbAsyncClient.class).serviceClientConfiguration().region())
			.isEqualTo(SCA_REGION);
		assertThat(this.context.getBean(DynamoDbStreamsClient.class).serviceClientConfiguration().region())
			.isEqualTo(SCA_REGION);
		assertThat(this.context.getBean(DynamoDbStreamsClient.class).serviceClientConfiguration().credentialsProvider())
			.isSameAs(credentials);
	}

	@Test
	void theLeaseTableAndTheTablesAreInSpringCloudAwssRegionOnly() {
		LocalDynamoDb local = LocalDynamoDb.shared();
		try (DynamoDbClient sca = local.configure(DynamoDbClient.builder()).region(SCA_REGION).build();
				DynamoDbClient other = local.configure(DynamoDbClient.builder()).build()) {
			assertThat(other.serviceClientConfiguration().region()).isNotEqualTo(SCA_REGION);

			assertThat(sca.listTables().tableNames()).contains("order", "shipment", "shop");
			assertThat(other.listTables().tableNames()).doesNotContain("order", "shipment", "shop");
		}
	}

	@Test
	void aDynamoTriggerRegionOtherThanSpringCloudAwssFailsTheStartNamingBoth() {
		assertThatException().isThrownBy(() -> SpringCloudAwsApplication.application()
			.run("--dynamo-trigger.aws.region=us-east-1"))
			.havingRootCause()
			.withMessageContaining("dynamo-trigger.aws.region is us-east-1")
			.withMessageContaining("is eu-west-3");
	}

}
