package io.dynamotrigger.boot;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Application contexts with dynamo-trigger's auto-configuration and the fast test settings; with
 * {@code -Ddynamo-trigger.test.fast-failover=false} the default timings instead, to check a behaviour with
 * what a deployment gets. The application is named after the table, {@code e2e-<table>}: in the default
 * (shared) KCL application mode that is its lease table, so the test classes of a JVM, each with tables of its
 * own, never find each other's leases in one lease table.
 */
final class TestContexts {

	/**
	 * The per-table KCL application mode, with the application named so that a runner's lease table is
	 * {@link #leaseTable(ReviewsTable)} in this mode too.
	 */
	static final String[] PER_TABLE = { "dynamo-trigger.kcl.application-mode=per-table",
			"dynamo-trigger.application-name=e2e" };

	private TestContexts() {
	}

	static ApplicationContextRunner runner(ReviewsTable table) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DynamoTriggerClientsAutoConfiguration.class,
					DynamoTriggerIdempotencyAutoConfiguration.class,
					DynamoTriggerAutoConfiguration.class, DynamoTriggerRedriveAutoConfiguration.class))
			.withPropertyValues("test.table=" + table.name, "spring.application.name=" + leaseTable(table),
					"dynamo-trigger.fast-failover=" + fastFailover());
	}

	/**
	 * Tells whether the runners have the fast test settings ({@code fast-failover}) rather than the defaults.
	 * @return false when run with {@code -Ddynamo-trigger.test.fast-failover=false}
	 */
	static boolean fastFailover() {
		return Boolean.parseBoolean(System.getProperty("dynamo-trigger.test.fast-failover", "true"));
	}

	/**
	 * Returns the lease table of a {@link #runner(ReviewsTable) runner}'s application: in the default (shared)
	 * mode its application name, with {@link #PER_TABLE} the lease table of its table.
	 * @param table the table the runner was made for
	 * @return {@code e2e-<table>}
	 */
	static String leaseTable(ReviewsTable table) {
		return "e2e-" + table.name;
	}

}
