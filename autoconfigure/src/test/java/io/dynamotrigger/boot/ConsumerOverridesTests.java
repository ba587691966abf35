package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.List;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.config.ConsumerSettings;
import io.dynamotrigger.config.PollingMode;
import io.dynamotrigger.config.PollingSettings;
import io.dynamotrigger.config.StartingPosition;
import io.dynamotrigger.config.TableConsumerSettings;
import io.dynamotrigger.error.DeadLetterHandler;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consumer settings of single tables and triggers: which level wins, and the settings that fail the start.
 * Nothing here reaches an endpoint: the settings are resolved, or rejected, before any table is read.
 */
class ConsumerOverridesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DynamoTriggerClientsAutoConfiguration.class,
				DynamoTriggerAutoConfiguration.class))
		.withPropertyValues("dynamo-trigger.aws.endpoint=http://127.0.0.1:1", "dynamo-trigger.aws.region=eu-west-1",
				"spring.application.name=shop", "test.table=Reviews");

	/** The properties alone, bound as the auto-configuration binds them. */
	private final ApplicationContextRunner properties = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesOnly.class)
		.withPropertyValues("spring.application.name=shop");

	@Test
	void triggerWinsOverTableWhichWinsOverGlobal() {
		this.properties
			.withPropertyValues("dynamo-trigger.concurrency=2", "dynamo-trigger.failover-time=15s",
					"dynamo-trigger.tables.Reviews.concurrency=4", "dynamo-trigger.tables.Reviews.starting-position=latest",
					"dynamo-trigger.tables.Reviews.lease-table=reviews-leases",
					"dynamo-trigger.tables.Reviews.failover-time=20s", "dynamo-trigger.triggers.audit.concurrency=6",
					"dynamo-trigger.triggers.audit.failover-time=5s")
			.run((context) -> {
				ConsumerSettings settings = settings(context);

				assertThat(settings.tableConsumer("Reviews", List.of("counter", "audit"))).isEqualTo(
						new TableConsumerSettings("reviews-leases", StartingPosition.LATEST, 6, Duration.ofSeconds(5),
								PollingSettings.defaults()));
				assertThat(settings.tableConsumer("Orders", List.of("orders"))).isEqualTo(new TableConsumerSettings(
						"shop-Orders", StartingPosition.TRIM_HORIZON, 2, Duration.ofSeconds(15), PollingSettings.defaults()));
			});
	}

	@Test
	void triggerPollIntervalMakesItsTablesPollingFixedAtThatInterval() {
		this.properties
			.withPropertyValues("dynamo-trigger.tables.Reviews.polling.mode=adaptive",
					"dynamo-trigger.triggers.audit.poll-interval=40ms")
			.run((context) -> assertThat(settings(context).tableConsumer("Reviews", List.of("audit")).polling())
				.isEqualTo(new PollingSettings(PollingMode.FIXED, Duration.ofMillis(250), Duration.ofMillis(40))));
	}

	@Test
	void failoverTimeIsKclsDefaultOrThatOfFastFailoverUnlessSet() {
		this.properties.run((context) -> assertThat(settings(context).failoverTime()).isEqualTo(Duration.ofSeconds(10)));
		this.properties.withPropertyValues("dynamo-trigger.fast-failover=true")
			.run((context) -> assertThat(settings(context).failoverTime()).isEqualTo(Duration.ofSeconds(3)));
		this.properties.withPropertyValues("dynamo-trigger.fast-failover=true", "dynamo-trigger.failover-time=30s")
			.run((context) -> assertThat(settings(context).failoverTime()).isEqualTo(Duration.ofSeconds(30)));
	}

	@Test
	void deprecatedLeaseTablesStillNameTheLeaseTableAndTheTablesLeaseTableWins() {
		this.properties
			.withPropertyValues("dynamo-trigger.lease-tables.Reviews=old-reviews-leases",
					"dynamo-trigger.lease-tables.Orders=old-orders-leases",
					"dynamo-trigger.tables.Orders.lease-table=orders-leases")
			.run((context) -> {
				assertThat(settings(context).tableConsumer("Reviews", List.of()).leaseTable())
					.isEqualTo("old-reviews-leases");
				assertThat(settings(context).tableConsumer("Orders", List.of()).leaseTable()).isEqualTo("orders-leases");
			});
	}

	@Test
	void triggersOfOneTableThatDisagreeFailTheStartNamingBothAndTheTableProperty() {
		this.runner.withUserConfiguration(AuditTrigger.class, CounterTrigger.class)
			.withPropertyValues("dynamo-trigger.triggers.audit.starting-position=latest",
					"dynamo-trigger.triggers.counter.starting-position=trim_horizon")
			.run((context) -> assertThat(startupFailure(context)).contains("[audit] set LATEST")
				.contains("[counter] set TRIM_HORIZON")
				.contains("dynamo-trigger.triggers.<id>.starting-position")
				.contains("Set dynamo-trigger.tables.Reviews.starting-position instead"));
	}

	@Test
	void triggersOfOneTableThatDisagreeOnTheLeaseTableFailTheStart() {
		this.runner.withUserConfiguration(AuditTrigger.class, CounterTrigger.class)
			.withPropertyValues("dynamo-trigger.triggers.audit.lease-table=audit-leases",
					"dynamo-trigger.triggers.counter.lease-table=counter-leases")
			.run((context) -> assertThat(startupFailure(context)).contains("[audit] set audit-leases")
				.contains("[counter] set counter-leases")
				.contains("Set dynamo-trigger.tables.Reviews.lease-table instead"));
	}

	@Test
	void twoTablesSharingALeaseTableFailTheStartNamingBothAndTheProperty() {
		this.runner.withUserConfiguration(AuditTrigger.class, OrdersTrigger.class)
			.withPropertyValues("dynamo-trigger.tables.Orders.lease-table=shop-Reviews")
			.run((context) -> assertThat(startupFailure(context))
				.contains("Tables Reviews and Orders would share lease table shop-Reviews")
				.contains("Set dynamo-trigger.tables.Orders.lease-table (or that of Reviews) to another name."));
	}

	@Test
	void concurrencyOutOfRangeFailsTheStartNamingTheProperty() {
		this.runner.withPropertyValues("dynamo-trigger.tables.Reviews.concurrency=11")
			.run((context) -> assertThat(startupFailure(context))
				.contains("dynamo-trigger.tables.Reviews.concurrency must be between 1 and 10, not 11"));
		this.runner.withPropertyValues("dynamo-trigger.triggers.audit.concurrency=0")
			.run((context) -> assertThat(startupFailure(context))
				.contains("dynamo-trigger.triggers.audit.concurrency must be between 1 and 10, not 0"));
	}

	@Test
	void failoverTimeBelowOneSecondFailsTheStartNamingTheProperty() {
		this.runner.withPropertyValues("dynamo-trigger.failover-time=500ms")
			.run((context) -> assertThat(startupFailure(context))
				.contains("dynamo-trigger.failover-time must be at least 1000ms, not 500ms"));
		this.runner.withPropertyValues("dynamo-trigger.tables.Reviews.failover-time=0s")
			.run((context) -> assertThat(startupFailure(context))
				.contains("dynamo-trigger.tables.Reviews.failover-time must be at least 1000ms"));
		this.runner.withPropertyValues("dynamo-trigger.triggers.audit.failover-time=100ms")
			.run((context) -> assertThat(startupFailure(context))
				.contains("dynamo-trigger.triggers.audit.failover-time must be at least 1000ms"));
	}

	@Test
	void leaseTableThatIsNoTableNameFailsTheStartNamingTheProperty() {
		this.runner.withPropertyValues("dynamo-trigger.triggers.audit.lease-table=audit leases")
			.run((context) -> assertThat(startupFailure(context))
				.contains("dynamo-trigger.triggers.audit.lease-table must be a DynamoDB table name"));
	}

	@Test
	void negativePollIntervalFailsTheStartNamingTheProperty() {
		this.runner.withPropertyValues("dynamo-trigger.triggers.audit.poll-interval=-1s")
			.run((context) -> assertThat(startupFailure(context))
				.contains("dynamo-trigger.triggers.audit.poll-interval must not be negative"));
	}

	@Test
	void triggerNamingBothADeadLetterTableAndAQueueFailsTheStart() {
		this.runner
			.withPropertyValues("dynamo-trigger.triggers.audit.dead-letter.table-name=audit-dead-letters",
					"dynamo-trigger.triggers.audit.dead-letter.sqs-queue-url=http://127.0.0.1:1/000000000000/audit")
			.run((context) -> assertThat(startupFailure(context)).contains(
					"dynamo-trigger.triggers.audit.dead-letter.table-name and"
							+ " dynamo-trigger.triggers.audit.dead-letter.sqs-queue-url are both set"));
	}

	@Test
	void globalDeadLetterTableAndQueueBothSetFailTheStart() {
		this.runner.withPropertyValues("dynamo-trigger.dead-letter.table-name=shop-dead-letters",
				"dynamo-trigger.dead-letter.sqs-queue-url=http://127.0.0.1:1/000000000000/shop")
			.run((context) -> assertThat(startupFailure(context)).contains(
					"dynamo-trigger.dead-letter.table-name and dynamo-trigger.dead-letter.sqs-queue-url are both set"));
	}

	@Test
	void triggerDeadLetterDestinationWithTheApplicationsOwnHandlerFailsTheStart() {
		this.runner.withBean(DeadLetterHandler.class, () -> (deadLetter) -> {
		})
			.withPropertyValues("dynamo-trigger.triggers.audit.dead-letter.table-name=audit-dead-letters")
			.run((context) -> assertThat(startupFailure(context))
				.contains("The application defines its own DeadLetterHandler")
				.contains("[dynamo-trigger.triggers.audit.dead-letter.*] cannot apply"));
	}

	private static ConsumerSettings settings(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return ConsumerSettingsFactory.create(context.getBean(DynamoTriggerProperties.class), context.getEnvironment());
	}

	private static String startupFailure(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = context.getStartupFailure(); cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
		}
		return messages.toString();
	}

	@EnableConfigurationProperties(DynamoTriggerProperties.class)
	static class PropertiesOnly {

	}

	static class AuditTrigger {

		@DynamoTrigger(table = "${test.table}", id = "audit")
		void onReview(ItemChange<Review> change) {
		}

	}

	static class OrdersTrigger {

		@DynamoTrigger(table = "Orders", id = "orders")
		void onOrder(ItemChange<Review> change) {
		}

	}

	static class CounterTrigger {

		@DynamoTrigger(table = "${test.table}", id = "counter")
		void onReview(ItemChange<Review> change) {
		}

	}

}
