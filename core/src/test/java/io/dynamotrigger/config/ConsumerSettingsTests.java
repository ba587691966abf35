package io.dynamotrigger.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.dynamotrigger.error.ErrorPolicy;
import org.junit.jupiter.api.Test;
import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ConsumerSettingsTests {

	private static final PollingSettings FIXED_1S = new PollingSettings(PollingMode.FIXED, Duration.ofMillis(250),
			Duration.ofSeconds(1));

	@Test
	void withoutOverridesATableConsumerTakesTheGlobalSettings() {
		TableConsumerSettings consumer = settings(Map.of(), Map.of()).tableConsumer("Reviews", List.of("a"));

		assertThat(consumer).isEqualTo(new TableConsumerSettings("review-service-Reviews",
				StartingPosition.TRIM_HORIZON, 1, Duration.ofSeconds(10), PollingSettings.defaults()));
	}

	@Test
	void failoverTimeDefaultsToKclsOrToTheFastFailoverOne() {
		assertThat(settings(Map.of(), Map.of()).failoverTime()).isEqualTo(Duration.ofSeconds(10));
		assertThat(new ConsumerSettings("app", StartingPosition.TRIM_HORIZON, PollingSettings.defaults(), 1, null, null, true,
				Duration.ofSeconds(10), Map.of(), Map.of(), TriggerSettings.defaults(), Map.of()).failoverTime())
			.isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void anExplicitFailoverTimeWinsOverFastFailover() {
		ConsumerSettings settings = new ConsumerSettings("app", StartingPosition.TRIM_HORIZON,
				PollingSettings.defaults(), 1, Duration.ofSeconds(20), null, true, Duration.ofSeconds(10), Map.of(), Map.of(),
				TriggerSettings.defaults(), Map.of());

		assertThat(settings.tableConsumer("Reviews", List.of()).failoverTime()).isEqualTo(Duration.ofSeconds(20));
	}

	@Test
	void tableOverridesWinOverTheGlobalSettingsForThatTableOnly() {
		ConsumerSettings settings = settings(Map.of("Reviews", new ConsumerOverrides("reviews-leases",
				StartingPosition.LATEST, 4, Duration.ofSeconds(30), FIXED_1S)), Map.of());

		assertThat(settings.tableConsumer("Reviews", List.of("a"))).isEqualTo(new TableConsumerSettings(
				"reviews-leases", StartingPosition.LATEST, 4, Duration.ofSeconds(30), FIXED_1S));
		assertThat(settings.tableConsumer("Orders", List.of("b")).leaseTable()).isEqualTo("review-service-Orders");
		assertThat(settings.tableConsumer("Orders", List.of("b")).startingPosition())
			.isEqualTo(StartingPosition.TRIM_HORIZON);
	}

	@Test
	void triggerOverridesWinOverTheTableAndApplyToTheTriggersTableConsumer() {
		PollingSettings fixed50 = new PollingSettings(PollingMode.FIXED, Duration.ofMillis(250), Duration.ofMillis(50));
		ConsumerSettings settings = settings(
				Map.of("Reviews", new ConsumerOverrides("reviews-leases", StartingPosition.LATEST, 4, null, FIXED_1S)),
				Map.of("audit", new ConsumerOverrides("audit-leases", StartingPosition.TRIM_HORIZON, 2,
						Duration.ofSeconds(5), fixed50)));

		assertThat(settings.tableConsumer("Reviews", List.of("counter", "audit"))).isEqualTo(new TableConsumerSettings(
				"audit-leases", StartingPosition.TRIM_HORIZON, 2, Duration.ofSeconds(5), fixed50));
	}

	@Test
	void unsetTriggerOverridesFallBackSettingBySetting() {
		ConsumerSettings settings = settings(
				Map.of("Reviews", new ConsumerOverrides(null, StartingPosition.LATEST, null, null, null)),
				Map.of("audit", new ConsumerOverrides(null, null, 3, null, null)));

		assertThat(settings.tableConsumer("Reviews", List.of("audit"))).isEqualTo(new TableConsumerSettings(
				"review-service-Reviews", StartingPosition.LATEST, 3, Duration.ofSeconds(10),
				PollingSettings.defaults()));
	}

	@Test
	void triggersOfATableThatAgreeOnASettingShareIt() {
		ConsumerOverrides latest = new ConsumerOverrides(null, StartingPosition.LATEST, null, null, null);
		ConsumerSettings settings = settings(Map.of(), Map.of("a", latest, "b", latest));

		assertThat(settings.tableConsumer("Reviews", List.of("a", "b")).startingPosition())
			.isEqualTo(StartingPosition.LATEST);
	}

	@Test
	void triggersOfATableThatDisagreeFailNamingBothThePropertyAndTheTableProperty() {
		ConsumerSettings settings = settings(Map.of(),
				Map.of("a", new ConsumerOverrides(null, StartingPosition.LATEST, null, null, null), "b",
						new ConsumerOverrides(null, StartingPosition.TRIM_HORIZON, null, null, null)));

		assertThatIllegalStateException().isThrownBy(() -> settings.tableConsumer("Reviews", List.of("a", "b")))
			.withMessageContaining("[a] set LATEST")
			.withMessageContaining("[b] set TRIM_HORIZON")
			.withMessageContaining("dynamo-trigger.triggers.<id>.starting-position")
			.withMessageContaining("Set dynamo-trigger.tables.Reviews.starting-position instead");
	}

	@Test
	void triggersThatDisagreeOnThePollIntervalAreToldToSetTheTablesPolling() {
		PollingSettings fixed50 = new PollingSettings(PollingMode.FIXED, Duration.ofMillis(250), Duration.ofMillis(50));
		ConsumerSettings settings = settings(Map.of(), Map.of("a", new ConsumerOverrides(null, null, null, null,
				FIXED_1S), "b", new ConsumerOverrides(null, null, null, null, fixed50)));

		assertThatIllegalStateException().isThrownBy(() -> settings.tableConsumer("Reviews", List.of("a", "b")))
			.withMessageContaining("[a] set PT1S")
			.withMessageContaining("[b] set PT0.05S")
			.withMessageContaining("Set dynamo-trigger.tables.Reviews.polling.* instead");
	}

	@Test
	void overridesOfTriggersOfAnotherTableDoNotApply() {
		ConsumerSettings settings = settings(Map.of(),
				Map.of("other", new ConsumerOverrides(null, StartingPosition.LATEST, 5, null, null)));

		assertThat(settings.tableConsumer("Reviews", List.of("a")).startingPosition())
			.isEqualTo(StartingPosition.TRIM_HORIZON);
	}

	@Test
	void concurrencyOutOfRangeFailsNamingTheProperty() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> settings(Map.of("Reviews", new ConsumerOverrides(null, null, 11, null, null)), Map.of()))
			.withMessage("dynamo-trigger.tables.Reviews.concurrency must be between 1 and 10, not 11");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> settings(Map.of(), Map.of("audit", new ConsumerOverrides(null, null, 0, null, null))))
			.withMessage("dynamo-trigger.triggers.audit.concurrency must be between 1 and 10, not 0");
	}

	@Test
	void failoverTimeBelowOneSecondFailsNamingTheProperty() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ConsumerSettings("app", StartingPosition.TRIM_HORIZON, PollingSettings.defaults(), 1,
					Duration.ofMillis(500), null, false, Duration.ofSeconds(10), Map.of(), Map.of(),
					TriggerSettings.defaults(), Map.of()))
			.withMessage("dynamo-trigger.failover-time must be at least 1000ms, not 500ms");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> settings(Map.of(), Map.of("audit",
					new ConsumerOverrides(null, null, null, Duration.ofMillis(10), null))))
			.withMessageStartingWith("dynamo-trigger.triggers.audit.failover-time must be at least");
	}

	@Test
	void leaseTableThatIsNoTableNameFailsNamingTheProperty() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> settings(Map.of("Reviews", new ConsumerOverrides("my leases", null, null, null, null)),
					Map.of()))
			.withMessageStartingWith("dynamo-trigger.tables.Reviews.lease-table must be a DynamoDB table name");
	}

	@Test
	void leaderLockDurationDefaultsToKclsOrTheFastPresetAndAnExplicitOneWins() {
		assertThat(settings(null, false).leaderLockDuration()).isEqualTo(Duration.ofMinutes(2));
		assertThat(settings(null, true).leaderLockDuration()).isEqualTo(Duration.ofSeconds(6));
		assertThat(settings(Duration.ofSeconds(20), true).leaderLockDuration()).isEqualTo(Duration.ofSeconds(20));
	}

	@Test
	void leaderLockDurationBelowTwoSecondsIsRefusedNamingTheProperty() {
		assertThatIllegalArgumentException().isThrownBy(() -> settings(Duration.ofMillis(1500), false))
			.withMessage("dynamo-trigger.leader-lock-duration must be at least 2000ms, not 1500ms");
	}

	private static ConsumerSettings settings(Duration leaderLockDuration, boolean fastFailover) {
		return new ConsumerSettings("app", StartingPosition.TRIM_HORIZON, PollingSettings.defaults(), 1, null,
				leaderLockDuration, fastFailover, Duration.ofSeconds(10), Map.of(), Map.of(), TriggerSettings.defaults(),
				Map.of());
	}

	@Test
	void triggerWithItsOwnSettingsGetsThemOthersGetTheDefaults() {
		TriggerSettings strict = new TriggerSettings(true, false,
				new ErrorPolicy(new FixedBackOff(0, 0), Set.of(), null), null, null);
		ConsumerSettings settings = new ConsumerSettings("review-service", StartingPosition.TRIM_HORIZON,
				PollingSettings.defaults(), 1, null, null, false, Duration.ofSeconds(10), Map.of(), Map.of(),
				TriggerSettings.defaults(), Map.of("strict", strict));

		assertThat(settings.triggerSettings("strict")).isSameAs(strict);
		assertThat(settings.triggerSettings("other")).isSameAs(settings.triggerDefaults());
	}

	private static ConsumerSettings settings(Map<String, ConsumerOverrides> tables,
			Map<String, ConsumerOverrides> triggers) {
		return new ConsumerSettings("review-service", StartingPosition.TRIM_HORIZON, PollingSettings.defaults(), 1,
				null, null, false, Duration.ofSeconds(10), tables, triggers, TriggerSettings.defaults(), Map.of());
	}

}
