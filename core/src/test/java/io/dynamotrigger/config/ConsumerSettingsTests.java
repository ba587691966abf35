package io.dynamotrigger.config;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import io.dynamotrigger.ErrorPolicies;
import io.dynamotrigger.error.ErrorPolicy;
import io.dynamotrigger.pause.TriggerPause;
import org.junit.jupiter.api.Test;
import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;

class ConsumerSettingsTests {

	private static final PollingSettings ADAPTIVE = new PollingSettings(PollingMode.ADAPTIVE, Duration.ofMillis(250),
			Duration.ofMillis(250));

	private static final TriggerSettings DEFAULTS = new TriggerSettings(true, true, ErrorPolicies.standard(), null, null);

	@Test
	void aTableWithoutSettingsOfItsOwnTakesTheGlobalOnesAndTheApplicationsLeaseTable() {
		ConsumerSettings settings = settings(Map.of(), Map.of());

		assertThat(settings.tableConsumer("Reviews")).isEqualTo(new TableConsumerSettings("review-service-Reviews",
				StartingPosition.TRIM_HORIZON, 1, Duration.ofSeconds(10), ADAPTIVE));
	}

	@Test
	void withTheSharedKclApplicationEveryTableReadsTheApplicationsOneLeaseTable() {
		ConsumerSettings settings = settings(KclApplicationMode.SHARED, Map.of(), Map.of());

		assertThat(settings.isShared()).isTrue();
		assertThat(settings.tableConsumer("Reviews").leaseTable()).isEqualTo("review-service");
		assertThat(settings.tableConsumer("Orders").leaseTable()).isEqualTo("review-service");
	}

	@Test
	void aTableWithSettingsOfItsOwnGetsThem() {
		TableConsumerSettings reviews = new TableConsumerSettings("reviews-leases", StartingPosition.LATEST, 4,
				Duration.ofSeconds(20), new PollingSettings(PollingMode.FIXED, Duration.ofMillis(250),
						Duration.ofSeconds(1)));
		ConsumerSettings settings = settings(Map.of("Reviews", reviews), Map.of());

		assertThat(settings.tableConsumer("Reviews")).isSameAs(reviews);
		assertThat(settings.tableConsumer("Orders").leaseTable()).isEqualTo("review-service-Orders");
	}

	@Test
	void triggerWithItsOwnSettingsGetsThemOthersGetTheDefaults() {
		TriggerSettings strict = new TriggerSettings(true, false,
				new ErrorPolicy(new FixedBackOff(0, 0), Set.of(), null), null, null);
		ConsumerSettings settings = settings(Map.of(), Map.of("strict", strict));

		assertThat(settings.triggerSettings("strict")).isSameAs(strict);
		assertThat(settings.triggerSettings("other")).isSameAs(DEFAULTS);
	}

	private static ConsumerSettings settings(Map<String, TableConsumerSettings> tables,
			Map<String, TriggerSettings> triggers) {
		return settings(KclApplicationMode.PER_TABLE, tables, triggers);
	}

	private static ConsumerSettings settings(KclApplicationMode mode, Map<String, TableConsumerSettings> tables,
			Map<String, TriggerSettings> triggers) {
		return new ConsumerSettings("review-service", mode, StartingPosition.TRIM_HORIZON, ADAPTIVE, 1,
				Duration.ofSeconds(10), Duration.ofMinutes(2), false, Duration.ofSeconds(10), Duration.ofMinutes(5),
				tables, DEFAULTS, triggers, TriggerPause.DEFAULT_MAX_HELD_RECORDS, null, 8);
	}

}
