package io.dynamotrigger.boot;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values out of range fail the start with a message that names the property, its allowed range and the value.
 */
class SettingsValidatorTests {

	private static final String PER_TABLE = "dynamo-trigger.kcl.application-mode=per-table";


	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DynamoTriggerClientsAutoConfiguration.class,
				DynamoTriggerAutoConfiguration.class))
		.withPropertyValues("dynamo-trigger.aws.endpoint=http://127.0.0.1:1", "dynamo-trigger.aws.region=eu-west-1");

	@Test
	void concurrencyOutOfRangeFailsTheStartNamingTheProperty() {
		assertFailure("dynamo-trigger.tables.Reviews.concurrency=0",
				"dynamo-trigger.tables.Reviews.concurrency must be between 1 and 10, was 0");
		assertFailure("dynamo-trigger.tables.Reviews.concurrency=11",
				"dynamo-trigger.tables.Reviews.concurrency must be between 1 and 10, was 11");
		assertFailure("dynamo-trigger.concurrency=11", "dynamo-trigger.concurrency must be between 1 and 10, was 11");
	}

	@Test
	void failoverTimeBelowOneSecondFailsTheStartNamingTheProperty() {
		assertFailure("dynamo-trigger.failover-time=500ms",
				"dynamo-trigger.failover-time must be at least 1000ms, was 500ms");
		assertFailure(PER_TABLE, "dynamo-trigger.tables.Reviews.failover-time=0s",
				"dynamo-trigger.tables.Reviews.failover-time must be at least 1000ms, was 0ms");
	}

	@Test
	void maxReadThreadsOutOfRangeFailsTheStartNamingTheProperty() {
		assertFailure("dynamo-trigger.kcl.max-read-threads=0",
				"dynamo-trigger.kcl.max-read-threads must be between 1 and 256, was 0");
		assertFailure("dynamo-trigger.kcl.max-read-threads=257",
				"dynamo-trigger.kcl.max-read-threads must be between 1 and 256, was 257");
	}

	@Test
	void leaderLockDurationBelowTwoSecondsFailsTheStartNamingTheProperty() {
		assertFailure("dynamo-trigger.leader-lock-duration=1500ms",
				"dynamo-trigger.leader-lock-duration must be at least 2000ms, was 1500ms");
	}

	@Test
	void maxHeldRecordsBelowOneFailsTheStartNamingTheProperty() {
		assertFailure("dynamo-trigger.pause.max-held-records=0", "dynamo-trigger.pause.max-held-records must be at"
				+ " least 1 (records a shard reads past a paused trigger's oldest held record), was 0");
	}

	@Test
	void leaseTableThatIsNoTableNameFailsTheStartNamingTheProperty() {
		assertFailure(PER_TABLE, "dynamo-trigger.tables.Reviews.lease-table=review leases",
				"dynamo-trigger.tables.Reviews.lease-table must be a DynamoDB table name (3 to 255 of a-z, A-Z, 0-9,"
						+ " '_', '-', '.'), was 'review leases'");
	}

	@Test
	void pollingIntervalsOutOfRangeFailTheStartNamingTheProperty() {
		assertFailure("dynamo-trigger.polling.rest-interval=0ms",
				"dynamo-trigger.polling.rest-interval must be positive, was PT0S");
		assertFailure("dynamo-trigger.polling.fixed-interval=-1s",
				"dynamo-trigger.polling.fixed-interval must not be negative, was PT-1S");
		assertFailure("dynamo-trigger.tables.Reviews.polling.rest-interval=0ms",
				"dynamo-trigger.tables.Reviews.polling.rest-interval must be positive, was PT0S");
	}

	@Test
	void aStallTimeoutNoLongerThanThePauseBetweenReadsFailsTheStartNamingBothProperties() {
		assertFailure("dynamo-trigger.health.stall-timeout=250ms",
				"dynamo-trigger.health.stall-timeout must be longer than the longest pause between two reads of a"
						+ " shard, PT0.25S by dynamo-trigger.polling.rest-interval, was PT0.25S");
		this.runner
			.withPropertyValues("dynamo-trigger.health.stall-timeout=2s",
					"dynamo-trigger.tables.Reviews.polling.mode=fixed",
					"dynamo-trigger.tables.Reviews.polling.fixed-interval=1s")
			.run((context) -> assertThat(startupFailure(context))
				.contains("dynamo-trigger.health.stall-timeout must be longer than the longest pause between two reads"
						+ " of a shard, PT2S by dynamo-trigger.tables.Reviews.polling.fixed-interval (twice that after"
						+ " an empty read), was PT2S"));
	}

	@Test
	void maxAttemptsBelowOneFailsTheStartNamingTheProperty() {
		assertFailure("dynamo-trigger.retry.max-attempts=0",
				"dynamo-trigger.retry.max-attempts must be at least 1 (the first call), was 0");
		assertFailure("dynamo-trigger.triggers.audit.retry.max-attempts=0",
				"dynamo-trigger.triggers.audit.retry.max-attempts must be at least 1 (the first call), was 0");
	}

	@Test
	void batchSettingsOutOfRangeFailTheStartNamingTheProperty() {
		assertFailure("dynamo-trigger.triggers.batches.batch-size=0",
				"dynamo-trigger.triggers.batches.batch-size is 0; set a number between 1 and 10000.");
		assertFailure("dynamo-trigger.triggers.batches.batch-window=6m",
				"dynamo-trigger.triggers.batches.batch-window is PT6M; set a duration between 0 and 5m");
	}

	@Test
	void aTablesOwnLeaseTableOrFailoverTimeWithTheSharedKclApplicationFailsTheStartNamingWhatToSetInstead() {
		this.runner
			.withPropertyValues("dynamo-trigger.tables.Reviews.lease-table=review-leases")
			.run((context) -> assertThat(startupFailure(context)).contains(
					"dynamo-trigger.tables.Reviews.lease-table is set, but with dynamo-trigger.kcl.application-mode=shared"
							+ " (the default) all tables share one lease table, dynamo-trigger.application-name; set that instead, or"
							+ " set dynamo-trigger.kcl.application-mode=per-table"));
		this.runner
			.withPropertyValues("dynamo-trigger.kcl.application-mode=shared",
					"dynamo-trigger.tables.Reviews.failover-time=20s")
			.run((context) -> assertThat(startupFailure(context)).contains(
					"dynamo-trigger.tables.Reviews.failover-time is set, but with"
							+ " dynamo-trigger.kcl.application-mode=shared (the default) one scheduler leases the shards of all"
							+ " tables with one failover time; set dynamo-trigger.failover-time instead"));
	}

	@Test
	void aTriggerSettingOfAnIdWithDotsWithoutBracketsFailsTheStartShowingTheBrackets() {
		assertFailure("dynamo-trigger.triggers.callRecorder.onEvent.idempotent=true",
				"dynamo-trigger.triggers.callrecorder.onevent.idempotent names no trigger setting after"
						+ " triggers.callRecorder; a trigger id with dots (the default is <bean name>.<method name>)"
						+ " needs brackets: dynamo-trigger.triggers[callRecorder.onEvent].idempotent.");
		this.runner.withPropertyValues("dynamo-trigger.triggers[callRecorder.onEvent].idempotent=true",
				"dynamo-trigger.triggers.audit.dead-letter.table-name=audit-dead-letters",
				"dynamo-trigger.triggers.audit.nonRetryableExceptions=java.lang.IllegalStateException")
			.run((context) -> assertThat(startupFailure(context)).doesNotContain("names no trigger setting")
				.contains("configures a trigger that does not exist"));
	}

	@Test
	void anUnknownKclApplicationModeFailsTheStartNamingTheProperty() {
		assertFailure("dynamo-trigger.kcl.application-mode=one", "dynamo-trigger.kcl.application-mode");
	}

	private void assertFailure(String property, String message) {
		this.runner.withPropertyValues(property)
			.run((context) -> assertThat(startupFailure(context)).contains(message));
	}

	private void assertFailure(String mode, String property, String message) {
		this.runner.withPropertyValues(mode, property)
			.run((context) -> assertThat(startupFailure(context)).contains(message));
	}

	private static String startupFailure(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = context.getStartupFailure(); cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
		}
		return messages.toString();
	}

}
