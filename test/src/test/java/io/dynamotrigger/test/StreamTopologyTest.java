package io.dynamotrigger.test;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StreamTopologyTest {

	@Test
	void rejectsFewerThanOneShard() {
		assertThatIllegalArgumentException().isThrownBy(() -> StreamTopology.builder().shards(0).build())
			.withMessageContaining("shards must be at least 1");
	}

	@Test
	void rejectsANegativeRollOverAge() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> StreamTopology.builder().rollOverAfter(Duration.ofSeconds(-1)).build())
			.withMessageContaining("rollOverAfter");
	}

	@Test
	void rejectsAZeroRetention() {
		assertThatIllegalArgumentException().isThrownBy(() -> StreamTopology.builder().retention(Duration.ZERO).build())
			.withMessageContaining("retention must be positive");
	}

	@Test
	void passesFractionsOfASecondToTheServer() {
		StreamTopology topology = StreamTopology.builder()
			.shards(3)
			.rollOverAfterRecords(10)
			.rollOverAfter(Duration.ofMillis(1500))
			.rollOver(StreamTopology.RollOver.SPLIT)
			.retention(Duration.ofSeconds(2))
			.iteratorExpiry(Duration.ofMillis(250))
			.build();

		assertThat(topology.serverArguments()).containsExactly("--stream-shards", "3",
				"--stream-roll-over-records", "10", "--stream-roll-over-seconds", "1.500000000",
				"--stream-roll-over", "split", "--stream-retention-seconds", "2.000000000",
				"--stream-iterator-expiry-seconds", "0.250000000");
	}

}
