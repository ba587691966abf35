package io.dynamotrigger.metrics;

import io.dynamotrigger.status.ShardStall.Kind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stalled-shards gauge: one per table and kind of stall, reading the table's count when it is read; the
 * held-records gauges of a paused trigger.
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

	@Test
	void theHeldGaugesReadThePausedTriggersCountsAndATriggerStartedAgainReplacesThem() {
		this.metrics.held("archive", "Reviews", () -> 7, () -> 1);
		double heldBefore = held("dynamo.trigger.held");
		double waitingBefore = held("dynamo.trigger.held.waiting");

		this.metrics.held("archive", "Reviews", () -> 0, () -> 0);

		assertThat(heldBefore).isEqualTo(7);
		assertThat(waitingBefore).isEqualTo(1);
		assertThat(held("dynamo.trigger.held")).isZero();
		assertThat(held("dynamo.trigger.held.waiting")).isZero();
		assertThat(this.registry.find("dynamo.trigger.held").gauges()).hasSize(1);
	}

	private double held(String name) {
		return this.registry.get(name).tags("trigger", "archive", "table", "Reviews").gauge().value();
	}

	private double stalled(String table, String kind) {
		return this.registry.get("dynamo.trigger.stalled").tags("table", table, "kind", kind).gauge().value();
	}

}
