package io.dynamotrigger.listener;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import io.dynamotrigger.error.ErrorPolicy;

import org.junit.jupiter.api.Test;
import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;

class ConsumerSettingsTests {

	@Test
	void leaseTableIsNamedAfterApplicationAndTable() {
		ConsumerSettings settings = settings(Map.of());

		assertThat(settings.leaseTableFor("Reviews")).isEqualTo("review-service-Reviews");
	}

	@Test
	void leaseTableNamedForATableOverridesTheDerivedName() {
		ConsumerSettings settings = settings(Map.of("Reviews", "reviews-leases"));

		assertThat(settings.leaseTableFor("Reviews")).isEqualTo("reviews-leases");
	}

	@Test
	void leaseTableOverrideOfAnotherTableDoesNotApply() {
		ConsumerSettings settings = settings(Map.of("Orders", "orders-leases"));

		assertThat(settings.leaseTableFor("Reviews")).isEqualTo("review-service-Reviews");
	}

	@Test
	void triggerWithItsOwnSettingsGetsThemOthersGetTheDefaults() {
		TriggerSettings strict = new TriggerSettings(true, false,
				new ErrorPolicy(new FixedBackOff(0, 0), Set.of(), null), null, null);
		ConsumerSettings settings = new ConsumerSettings("review-service", Map.of(), StartingPosition.TRIM_HORIZON,
				PollingSettings.defaults(), Map.of(), false, Duration.ofSeconds(10), 1, TriggerSettings.defaults(),
				Map.of("strict", strict));

		assertThat(settings.triggerSettings("strict")).isSameAs(strict);
		assertThat(settings.triggerSettings("other")).isSameAs(settings.triggerDefaults());
	}

	@Test
	void tableWithItsOwnPollingGetsItOthersGetTheGlobalOne() {
		PollingSettings fixed = new PollingSettings(PollingMode.FIXED, Duration.ofMillis(250), Duration.ofSeconds(1));
		ConsumerSettings settings = new ConsumerSettings("review-service", Map.of(), StartingPosition.TRIM_HORIZON,
				PollingSettings.defaults(), Map.of("Archive", fixed), false, Duration.ofSeconds(10), 1,
				TriggerSettings.defaults(), Map.of());

		assertThat(settings.pollingFor("Archive")).isSameAs(fixed);
		assertThat(settings.pollingFor("Reviews")).isSameAs(settings.polling());
	}

	private static ConsumerSettings settings(Map<String, String> leaseTables) {
		return new ConsumerSettings("review-service", leaseTables, StartingPosition.TRIM_HORIZON,
				PollingSettings.defaults(), Map.of(), false, Duration.ofSeconds(10), 1, TriggerSettings.defaults(), Map.of());
	}

}
