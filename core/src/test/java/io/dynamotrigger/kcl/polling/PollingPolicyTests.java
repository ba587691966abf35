package io.dynamotrigger.kcl.polling;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.dynamotrigger.config.PollingMode;
import io.dynamotrigger.config.PollingSettings;
import org.junit.jupiter.api.Test;

import static io.dynamotrigger.kcl.polling.ReadOutcome.EMPTY;
import static io.dynamotrigger.kcl.polling.ReadOutcome.FAILED;
import static io.dynamotrigger.kcl.polling.ReadOutcome.RECORDS;
import static io.dynamotrigger.kcl.polling.ReadOutcome.THROTTLED;
import static org.assertj.core.api.Assertions.assertThat;

class PollingPolicyTests {

	@Test
	void adaptiveReadsAgainAtOnceWhileReadsReturnRecords() {
		assertThat(delays(adaptive(250), RECORDS, RECORDS, RECORDS)).containsExactly(0L, 0L, 0L);
	}

	@Test
	void adaptiveBacksOffStepByStepAfterEmptyReadsAndRestsAtTheRestInterval() {
		assertThat(delays(adaptive(250), EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY))
			.containsExactly(5L, 10L, 20L, 40L, 80L, 160L, 250L, 250L);
	}

	@Test
	void adaptiveReadsAgainAtOnceWhenRecordsArriveAtRestAndStartsTheStepsAgain() {
		assertThat(delays(adaptive(250), EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, RECORDS, EMPTY, EMPTY))
			.endsWith(250L, 0L, 5L, 10L);
	}

	@Test
	void adaptiveNeverWaitsLongerThanTheRestInterval() {
		assertThat(delays(adaptive(3), EMPTY, EMPTY, EMPTY)).containsExactly(3L, 3L, 3L);
	}

	@Test
	void throttledReadsBackOffDoublingFrom250MillisUpTo10Seconds() {
		assertThat(delays(adaptive(250), THROTTLED, THROTTLED, THROTTLED, THROTTLED, THROTTLED, THROTTLED,
				THROTTLED, THROTTLED))
			.containsExactly(250L, 500L, 1000L, 2000L, 4000L, 8000L, 10_000L, 10_000L);
	}

	@Test
	void throttlingBacksOffEvenWhileRecordsFlow() {
		assertThat(delays(adaptive(250), RECORDS, THROTTLED, THROTTLED, RECORDS)).containsExactly(0L, 250L, 500L, 0L);
	}

	@Test
	void otherFailuresBackOffLikeThrottling() {
		assertThat(delays(adaptive(250), FAILED, THROTTLED, FAILED)).containsExactly(250L, 500L, 1000L);
	}

	@Test
	void aSuccessfulReadEndsTheBackOff() {
		assertThat(delays(adaptive(250), THROTTLED, THROTTLED, EMPTY, THROTTLED)).containsExactly(250L, 500L, 5L,
				250L);
	}

	@Test
	void fixedWaitsTheIntervalAfterRecordsAndTwiceThatAfterEmptyReads() {
		assertThat(delays(fixed(50), RECORDS, EMPTY, EMPTY, RECORDS)).containsExactly(50L, 100L, 100L, 50L);
	}

	@Test
	void fixedBacksOffOnThrottlingEvenWithNoInterval() {
		assertThat(delays(fixed(0), RECORDS, THROTTLED, THROTTLED, EMPTY)).containsExactly(0L, 250L, 500L, 0L);
	}

	@Test
	void eachShardGetsAPolicyOfItsOwn() {
		PollingSettings settings = new PollingSettings(PollingMode.ADAPTIVE, Duration.ofMillis(250),
				Duration.ofMillis(250));
		PollingPolicy first = PollingPolicy.forShard(settings);
		first.delayAfter(EMPTY);

		assertThat(PollingPolicy.forShard(settings)).isNotSameAs(first);
		assertThat(PollingPolicy.forShard(settings).delayAfter(EMPTY)).isEqualTo(5L);
	}

	private static PollingPolicy adaptive(long restMillis) {
		return PollingPolicy.forShard(
				new PollingSettings(PollingMode.ADAPTIVE, Duration.ofMillis(restMillis), Duration.ofMillis(250)));
	}

	private static PollingPolicy fixed(long intervalMillis) {
		return PollingPolicy
			.forShard(new PollingSettings(PollingMode.FIXED, Duration.ofMillis(250), Duration.ofMillis(intervalMillis)));
	}

	private static List<Long> delays(PollingPolicy policy, ReadOutcome... outcomes) {
		return Arrays.stream(outcomes).map(policy::delayAfter).toList();
	}

}
