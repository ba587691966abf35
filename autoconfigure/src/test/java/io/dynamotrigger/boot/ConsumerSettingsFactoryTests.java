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
import io.dynamotrigger.config.TriggerEndpointRegistrar;
import io.dynamotrigger.error.DeadLetterHandler;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.backoff.BackOffExecution;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consumer settings of single tables and settings of single triggers: which level wins, and the settings that
 * fail the start. Nothing here reaches an endpoint: the settings are resolved, or rejected, before any table is
 * read.
 */
class ConsumerSettingsFactoryTests {

	private static final PollingSettings DEFAULT_POLLING = new PollingSettings(PollingMode.ADAPTIVE,
			Duration.ofMillis(250), Duration.ofMillis(250));

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
	void tableWinsOverGlobal() {
		this.properties
			.withPropertyValues("dynamo-trigger.kcl.application-mode=per-table", "dynamo-trigger.concurrency=2", "dynamo-trigger.failover-time=15s",
					"dynamo-trigger.tables.Reviews.concurrency=4",
					"dynamo-trigger.tables.Reviews.starting-position=latest",
					"dynamo-trigger.tables.Reviews.lease-table=reviews-leases",
					"dynamo-trigger.tables.Reviews.failover-time=20s")
			.run((context) -> {
				ConsumerSettings settings = settings(context);

				assertThat(settings.tableConsumer("Reviews")).isEqualTo(new TableConsumerSettings("reviews-leases",
						StartingPosition.LATEST, 4, Duration.ofSeconds(20), DEFAULT_POLLING));
				assertThat(settings.tableConsumer("Orders")).isEqualTo(new TableConsumerSettings("shop-Orders",
						StartingPosition.TRIM_HORIZON, 2, Duration.ofSeconds(15), DEFAULT_POLLING));
			});
	}

	@Test
	void aTableThatSetsOnlyPartOfItsSettingsTakesTheRestFromTheGlobalOnes() {
		this.properties
			.withPropertyValues("dynamo-trigger.concurrency=3", "dynamo-trigger.fast-failover=true",
					"dynamo-trigger.tables.Reviews.starting-position=latest")
			.run((context) -> assertThat(settings(context).tableConsumer("Reviews")).isEqualTo(
					new TableConsumerSettings("shop", StartingPosition.LATEST, 3, Duration.ofSeconds(3),
							DEFAULT_POLLING)));
	}

	@Test
	void byDefaultEveryTableHasTheApplicationsOneLeaseTableAndInPerTableModeOneOfItsOwn() {
		this.properties.run((context) -> {
			assertThat(settings(context).isShared()).isTrue();
			assertThat(settings(context).maxReadThreads()).isEqualTo(8);
			assertThat(settings(context).tableConsumer("Reviews").leaseTable()).isEqualTo("shop");
			assertThat(settings(context).tableConsumer("Orders").leaseTable()).isEqualTo("shop");
		});
		this.properties.withPropertyValues("dynamo-trigger.kcl.max-read-threads=32")
			.run((context) -> assertThat(settings(context).maxReadThreads()).isEqualTo(32));
		this.properties.withPropertyValues("dynamo-trigger.kcl.application-mode=per-table").run((context) -> {
			assertThat(settings(context).isShared()).isFalse();
			assertThat(settings(context).tableConsumer("Reviews").leaseTable()).isEqualTo("shop-Reviews");
		});
	}

	@Test
	void aTablesPollingReplacesTheGlobalPollingAndTakesTheDefaultsForWhatItLeavesUnset() {
		this.properties
			.withPropertyValues("dynamo-trigger.polling.mode=fixed", "dynamo-trigger.polling.fixed-interval=20ms",
					"dynamo-trigger.tables.Archive.polling.rest-interval=5s")
			.run((context) -> {
				ConsumerSettings settings = settings(context);

				assertThat(settings.tableConsumer("Archive").polling()).isEqualTo(
						new PollingSettings(PollingMode.ADAPTIVE, Duration.ofSeconds(5), Duration.ofMillis(250)));
				assertThat(settings.tableConsumer("Reviews").polling()).isEqualTo(
						new PollingSettings(PollingMode.FIXED, Duration.ofMillis(250), Duration.ofMillis(20)));
			});
	}

	@Test
	void aTableWithoutPollingOfItsOwnIsPolledAsTheGlobalPollingSays() {
		this.properties
			.withPropertyValues("dynamo-trigger.polling.mode=fixed", "dynamo-trigger.tables.Reviews.concurrency=2")
			.run((context) -> assertThat(settings(context).tableConsumer("Reviews").polling().mode())
				.isEqualTo(PollingMode.FIXED));
	}

	@Test
	void theConsumersStallTimeoutIsTheHealthsStallTimeout() {
		this.properties
			.run((context) -> assertThat(settings(context).stallTimeout()).isEqualTo(Duration.ofMinutes(5)));
		this.properties.withPropertyValues("dynamo-trigger.health.stall-timeout=90s")
			.run((context) -> assertThat(settings(context).stallTimeout()).isEqualTo(Duration.ofSeconds(90)));
	}

	@Test
	void failoverTimeIsKclsDefaultOrThatOfFastFailoverUnlessSet() {
		this.properties
			.run((context) -> assertThat(settings(context).failoverTime()).isEqualTo(Duration.ofSeconds(10)));
		this.properties.withPropertyValues("dynamo-trigger.fast-failover=true")
			.run((context) -> assertThat(settings(context).failoverTime()).isEqualTo(Duration.ofSeconds(3)));
		this.properties.withPropertyValues("dynamo-trigger.fast-failover=true", "dynamo-trigger.failover-time=30s")
			.run((context) -> assertThat(settings(context).failoverTime()).isEqualTo(Duration.ofSeconds(30)));
	}

	@Test
	void leaderLockDurationIsTwelveSecondsOrThatOfFastFailoverUnlessSet() {
		this.properties
			.run((context) -> assertThat(settings(context).leaderLockDuration()).isEqualTo(Duration.ofSeconds(12)));
		this.properties.withPropertyValues("dynamo-trigger.fast-failover=true")
			.run((context) -> assertThat(settings(context).leaderLockDuration()).isEqualTo(Duration.ofSeconds(6)));
		this.properties
			.withPropertyValues("dynamo-trigger.fast-failover=true", "dynamo-trigger.leader-lock-duration=20s")
			.run((context) -> assertThat(settings(context).leaderLockDuration()).isEqualTo(Duration.ofSeconds(20)));
	}

	@Test
	void aTriggersRetryTakesTheGlobalValuesItLeavesUnset() {
		this.properties
			.withPropertyValues("dynamo-trigger.retry.max-attempts=3", "dynamo-trigger.retry.initial-interval=1s",
					"dynamo-trigger.triggers.audit.retry.max-attempts=2")
			.run((context) -> {
				BackOffExecution audit = settings(context).triggerSettings("audit").errorPolicy().backOff().start();
				BackOffExecution other = settings(context).triggerSettings("other").errorPolicy().backOff().start();

				assertThat(List.of(audit.nextBackOff(), audit.nextBackOff()))
					.containsExactly(1_000L, BackOffExecution.STOP);
				assertThat(List.of(other.nextBackOff(), other.nextBackOff(), other.nextBackOff()))
					.containsExactly(1_000L, 2_000L, BackOffExecution.STOP);
			});
	}

	@Test
	void aTriggerSettingOfATablesConsumerFailsTheStartNamingTheTableProperty() {
		this.runner.withUserConfiguration(AuditTrigger.class)
			.withPropertyValues("dynamo-trigger.triggers.audit.concurrency=6")
			.run((context) -> assertThat(startupFailure(context)).contains(
					"dynamo-trigger.triggers.audit.concurrency is not a trigger setting: one consumer reads the stream"
							+ " of a table for all its triggers, so set dynamo-trigger.tables.<table>.concurrency"
							+ " for the trigger's table."));
		this.runner.withUserConfiguration(AuditTrigger.class)
			.withPropertyValues("dynamo-trigger.triggers.audit.poll-interval=40ms")
			.run((context) -> assertThat(startupFailure(context)).contains(
					"dynamo-trigger.triggers.audit.poll-interval is not a trigger setting")
				.contains("set dynamo-trigger.tables.<table>.polling.fixed-interval (with polling.mode=fixed)"));
		this.runner.withUserConfiguration(AuditTrigger.class)
			.withPropertyValues("dynamo-trigger.triggers.audit.polling.mode=fixed")
			.run((context) -> assertThat(startupFailure(context))
				.contains("dynamo-trigger.triggers.audit.polling is not a trigger setting")
				.contains("set dynamo-trigger.tables.<table>.polling.*"));
	}

	@Test
	void aTriggerSettingOfATablesConsumerFailsTheStartAlsoWhenRecordsAreHandedIn() {
		this.runner.withBean(TriggerEndpointRegistrar.class, () -> (endpoint) -> {
		})
			.withPropertyValues("dynamo-trigger.triggers.audit.concurrency=6")
			.run((context) -> assertThat(startupFailure(context))
				.contains("dynamo-trigger.triggers.audit.concurrency is not a trigger setting"));
	}

	@Test
	void everyTriggerSettingOfATablesConsumerFailsTheStart() {
		for (String setting : List.of("lease-table=audit-leases", "starting-position=latest", "failover-time=5s")) {
			this.runner.withUserConfiguration(AuditTrigger.class)
				.withPropertyValues("dynamo-trigger.triggers.audit." + setting)
				.run((context) -> assertThat(startupFailure(context)).contains("dynamo-trigger.triggers.audit."
						+ setting.substring(0, setting.indexOf('=')) + " is not a trigger setting"));
		}
	}

	@Test
	void theRemovedGlobalPropertiesFailTheStartNamingWhatToSetInstead() {
		this.runner.withPropertyValues("dynamo-trigger.lease-tables.Reviews=reviews-leases")
			.run((context) -> assertThat(startupFailure(context)).contains(
					"dynamo-trigger.lease-tables no longer exists; set dynamo-trigger.tables.<table>.lease-table"
							+ " instead."));
		this.runner.withPropertyValues("dynamo-trigger.poll-interval=50ms")
			.run((context) -> assertThat(startupFailure(context)).contains(
					"dynamo-trigger.poll-interval no longer exists; set dynamo-trigger.polling.fixed-interval"));
	}

	@Test
	void twoTablesSharingALeaseTableFailTheStartNamingBothAndTheProperty() {
		this.runner.withUserConfiguration(AuditTrigger.class, OrdersTrigger.class)
			.withPropertyValues("dynamo-trigger.kcl.application-mode=per-table",
					"dynamo-trigger.tables.Orders.lease-table=shop-Reviews")
			.run((context) -> assertThat(startupFailure(context))
				.contains("Tables Reviews and Orders would share lease table shop-Reviews")
				.contains("Set dynamo-trigger.tables.Orders.lease-table (or that of Reviews) to another name."));
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

}
