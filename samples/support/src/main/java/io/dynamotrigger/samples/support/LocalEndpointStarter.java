package io.dynamotrigger.samples.support;

import java.util.Map;
import java.util.function.Function;

import io.dynamotrigger.test.LocalDynamoDb;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the local DynamoDB endpoint (moto server, installed on first use) when the application is not
 * pointed at another endpoint, so a sample runs with no AWS account and no configuration. Add it to the
 * sample's {@code SpringApplication} with {@code addListeners(new LocalEndpointStarter())}, or
 * {@link #forSpringCloudAws()} in an application whose clients come from Spring Cloud AWS.
 *
 * <p>It lives here, not in dynamo-trigger-test, so that the test module stays free of Spring.
 */
public final class LocalEndpointStarter implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	private final String endpointProperty;

	private final Function<LocalDynamoDb, Map<String, Object>> properties;

	/**
	 * Creates the listener for {@code dynamo-trigger.aws.endpoint}: unless it is set, it and
	 * {@code dynamo-trigger.aws.region} name the local endpoint.
	 */
	public LocalEndpointStarter() {
		this("dynamo-trigger.aws.endpoint", (local) -> Map.of("dynamo-trigger.aws.endpoint",
				local.endpoint().toString(), "dynamo-trigger.aws.region", local.region()));
	}

	private LocalEndpointStarter(String endpointProperty, Function<LocalDynamoDb, Map<String, Object>> properties) {
		this.endpointProperty = endpointProperty;
		this.properties = properties;
	}

	/**
	 * Creates the listener for an application on Spring Cloud AWS: unless {@code spring.cloud.aws.endpoint}
	 * is set, it names the local endpoint and Spring Cloud AWS's credentials are the local ones. The region
	 * stays the application's ({@code spring.cloud.aws.region.static}): the local endpoint serves any.
	 * @return the listener
	 */
	public static LocalEndpointStarter forSpringCloudAws() {
		return new LocalEndpointStarter("spring.cloud.aws.endpoint",
				(local) -> Map.of("spring.cloud.aws.endpoint", local.endpoint().toString(),
						"spring.cloud.aws.credentials.access-key", LocalDynamoDb.ACCESS_KEY_ID,
						"spring.cloud.aws.credentials.secret-key", LocalDynamoDb.SECRET_ACCESS_KEY));
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		ConfigurableEnvironment environment = event.getEnvironment();
		if (environment.containsProperty(this.endpointProperty)) {
			return;
		}
		environment.getPropertySources()
			.addFirst(new MapPropertySource("localDynamoDb", this.properties.apply(LocalDynamoDb.shared())));
	}

}
