package io.dynamotrigger.samples.support;

import java.util.Map;

import io.dynamotrigger.test.LocalDynamoDb;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the local DynamoDB endpoint (moto server, installed on first use) when the application is not
 * pointed at another endpoint with {@code dynamo-trigger.aws.endpoint}, so a sample runs with no AWS
 * account and no configuration. Add it to the sample's {@code SpringApplication} with
 * {@code addListeners(new LocalEndpointStarter())}.
 *
 * <p>It lives here, not in dynamo-trigger-test, so that the test module stays free of Spring.
 */
public final class LocalEndpointStarter implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	/** Creates the listener. */
	public LocalEndpointStarter() {
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		ConfigurableEnvironment environment = event.getEnvironment();
		if (environment.containsProperty("dynamo-trigger.aws.endpoint")) {
			return;
		}
		LocalDynamoDb local = LocalDynamoDb.shared();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("localDynamoDb", Map.of("dynamo-trigger.aws.endpoint",
					local.endpoint().toString(), "dynamo-trigger.aws.region", local.region())));
	}

}
