package io.dynamotrigger.samples.reviews;

import java.util.Map;

import io.dynamotrigger.test.LocalDynamoDb;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the local DynamoDB endpoint (moto server, installed on first use) when the application is not
 * pointed at another endpoint with {@code dynamo-trigger.aws.endpoint}, so the sample runs with no AWS
 * account and no configuration.
 */
class LocalEndpointStarter implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

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
