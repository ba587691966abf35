package io.dynamotrigger.metrics;

import io.dynamotrigger.status.ShardStall.Kind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stalled-shards gauge: one per table and kind of stall, reading the table's count when it is read.
 */
class MicrometerTriggerMetricsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final MicrometerTriggerMetrics metrics = new MicrometerTriggerMetrics(this.registry);

	@Test
	void theStalledGaugeCountsTheTablesStalledShardsByKind() {
		this.metrics.stalledShards("Reviews", (kind) -> (kind == Kind.READS) ? 2 : 0);

		assertThat(stalled("Reviews", "reads")).isEqualTo(2);
		assertThat(stalled("Reviews", "record")).isZero();
		assertThat(stalled("Reviews", "checkpoint")).isZero();
	}

	@Test
	void theStalledGaugeReadsTheCountWhenItIsRead() {
		int[] stalled = { 0 };
		this.metrics.stalledShards("Reviews", (kind) -> stalled[0]);
		assertThat(stalled("Reviews", "checkpoint")).isZero();

		stalled[0] = 1;

		assertThat(stalled("Reviews", "checkpoint")).isEqualTo(1);
	}

	@Test
	void aTablesConsumerStartedAgainReplacesTheCountOfTheStoppedOne() {
		this.metrics.stalledShards("Reviews", (kind) -> 3);

		this.metrics.stalledShards("Reviews", (kind) -> 0);

		assertThat(stalled("Reviews", "reads")).isZero();
		assertThat(this.registry.find("dynamo.trigger.stalled").gauges()).hasSize(3);
	}

	private double stalled(String table, String kind) {
		return this.registry.get("dynamo.trigger.stalled").tags("table", table, "kind", kind).gauge().value();
	}

}
