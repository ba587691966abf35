package io.dynamotrigger.boot;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Application contexts with dynamo-trigger's auto-configuration and the fast test settings; with
 * {@code -Ddynamo-trigger.test.fast-failover=false} the default timings instead, to check a behaviour with
 * what a deployment gets.
 */
final class TestContexts {

	private TestContexts() {
	}

	static ApplicationContextRunner runner(ReviewsTable table) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DynamoTriggerClientsAutoConfiguration.class,
					DynamoTriggerIdempotencyAutoConfiguration.class,
					DynamoTriggerAutoConfiguration.class, DynamoTriggerRedriveAutoConfiguration.class))
			.withPropertyValues("test.table=" + table.name, "spring.application.name=e2e",
					"dynamo-trigger.fast-failover=" + System.getProperty("dynamo-trigger.test.fast-failover", "true"));
	}

}
