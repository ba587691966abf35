package io.dynamotrigger.boot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import io.dynamotrigger.EventType;
import io.dynamotrigger.ViewType;
import io.dynamotrigger.lease.LeaderLock;
import io.dynamotrigger.lease.OrphanedLease;
import io.dynamotrigger.lease.ShardHandOff;
import io.dynamotrigger.lease.Takeover;
import io.dynamotrigger.status.PauseStatus;
import io.dynamotrigger.status.ShardStall;
import io.dynamotrigger.status.ShardStall.Kind;
import io.dynamotrigger.status.ShardStatus;
import io.dynamotrigger.status.TriggerState;
import io.dynamotrigger.status.TriggerStatus;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code dynamoTrigger} health for stalled shards, for an instance that holds no shard of a table after a
 * shard of the table ended on it, and while leases wait for a takeover after their holder stopped renewing
 * them, fed with the states the registry reports.
 */
class DynamoTriggerHealthIndicatorTests {

	private static final Instant NOW = Instant.parse("2026-05-01T10:15:30Z");

	private static final Duration SHARD_END_TIMEOUT = Duration.ofMinutes(2);

	private static final Duration TAKEOVER_TIMEOUT = Duration.ofMinutes(3);

	@Test
	void downWhenIdleForLongerThanTheShardEndTimeoutWhileShardsWaitWithNoWorker() {
		ShardHandOff handOff = new ShardHandOff("parent", NOW.minus(Duration.ofMinutes(3)), List.of("child-1"));

		Health health = health(trigger(List.of(), handOff));

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(details(health)).containsEntry("shardHandOff", handOff)
			.extractingByKey("reason")
			.asString()
			.contains("no shard taken since shard parent ended here at 2026-05-01T10:12:30Z")
			.contains("longer than PT2M")
			.contains("shard(s) [child-1] wait with no worker holding their leases");
	}

	@Test
	void upWithinTheShardEndTimeoutThoughShardsWait() {
		ShardHandOff handOff = new ShardHandOff("parent", NOW.minus(Duration.ofMinutes(1)), List.of("child-1"));

		Health health = health(trigger(List.of(), handOff));

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(details(health)).containsEntry("shardHandOff", handOff).doesNotContainKey("reason");
	}

	@Test
	void upLongAfterAShardEndWhenNoShardWaits() {
		ShardHandOff handOff = new ShardHandOff("parent", NOW.minus(Duration.ofHours(1)), List.of());

		assertThat(health(trigger(List.of(), handOff)).getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void upWithoutAHandOffWhileTheInstanceHoldsAShard() {
		ShardStatus shard = new ShardStatus("child-1", "TRIM_HORIZON", 0, null, null, 100L, List.of());

		Health health = health(trigger(List.of(shard), null));

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(details(health)).doesNotContainKey("shardHandOff");
	}

	@Test
	void upWhileLeasesWaitForATakeoverWithinTheTakeoverTimeout() {
		Takeover takeover = new Takeover(
				List.of(new OrphanedLease("shard-1", "worker-b", NOW.minus(Duration.ofMinutes(2)))),
				new LeaderLock("worker-b", Duration.ofMinutes(2), NOW.minus(Duration.ofMinutes(2)), false));

		Health health = health(trigger(List.of(), null, takeover));

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(details(health)).containsEntry("takeover", takeover).doesNotContainKey("reason");
	}

	@Test
	void downWhenALeaseWaitsForATakeoverLongerThanTheTakeoverTimeout() {
		Takeover takeover = new Takeover(
				List.of(new OrphanedLease("shard-1", "worker-b", NOW.minus(Duration.ofMinutes(4))),
						new OrphanedLease("shard-2", "worker-b", NOW.minus(Duration.ofMinutes(2)))),
				new LeaderLock("worker-b", Duration.ofMinutes(2), NOW.minus(Duration.ofMinutes(4)), true));

		Health health = health(trigger(List.of(), null, takeover));

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(details(health)).containsEntry("takeover", takeover)
			.extractingByKey("reason")
			.asString()
			.contains("no worker has taken over the lease(s) of shard shard-1 (held by worker-b, not renewed for"
					+ " PT4M, since 2026-05-01T10:11:30Z) within PT3M")
			.contains("leader lock is held by worker-b, expired")
			.doesNotContain("shard-2");
	}

	@Test
	void downNamingTheTableShardAndSinceWhenWhenAShardsReadsStopped() {
		ShardStatus shard = shard("shard-1", new ShardStall(Kind.READS, NOW.minus(Duration.ofMinutes(6))));

		Health health = health(trigger(List.of(shard), null));

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(details(health)).containsEntry("shards", List.of(shard))
			.extractingByKey("reason")
			.asString()
			.isEqualTo("shard(s) of table Reviews stalled for longer than PT5M: shard shard-1 (no read since"
					+ " 2026-05-01T10:09:30Z)");
	}

	@Test
	void downWhenAShardsCheckpointStaysBehindTheRecordsReceivedAfterIt() {
		ShardStatus shard = shard("shard-1", new ShardStall(Kind.CHECKPOINT, NOW.minus(Duration.ofMinutes(6))));

		Health health = health(trigger(List.of(shard), null));

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(details(health)).extractingByKey("reason")
			.asString()
			.endsWith("shard shard-1 (checkpoint at 41 since 2026-05-01T10:09:30Z while records after it were"
					+ " received)");
	}

	@Test
	void downWhenARecordOfAShardStaysInProgress() {
		ShardStatus shard = shard("shard-1", new ShardStall(Kind.RECORD, NOW.minus(Duration.ofMinutes(6))));

		Health health = health(trigger(List.of(shard), null));

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(details(health)).extractingByKey("reason")
			.asString()
			.endsWith("shard shard-1 (record 42 in progress since 2026-05-01T10:09:30Z)");
	}

	@Test
	void everyStallOfEveryStalledShardIsInTheReason() {
		Instant since = NOW.minus(Duration.ofMinutes(6));
		List<ShardStatus> shards = List.of(
				shard("shard-1", new ShardStall(Kind.READS, since), new ShardStall(Kind.CHECKPOINT, since)),
				shard("shard-2"), shard("shard-3", new ShardStall(Kind.READS, since)));

		Health health = health(trigger(shards, null));

		assertThat(details(health)).extractingByKey("reason")
			.asString()
			.endsWith("shard shard-1 (no read since 2026-05-01T10:09:30Z, checkpoint at 41 since"
					+ " 2026-05-01T10:09:30Z while records after it were received), shard shard-3 (no read since"
					+ " 2026-05-01T10:09:30Z)");
	}

	@Test
	void upWhileNoShardIsStalled() {
		Health health = health(trigger(List.of(shard("shard-1"), shard("shard-2")), null));

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(details(health)).doesNotContainKey("reason");
	}

	@Test
	void upWhileTheTriggerIsPausedThoughItsShardLooksStalled() {
		ShardStatus shard = shard("shard-1", new ShardStall(Kind.RECORD, NOW.minus(Duration.ofMinutes(6))));

		Health health = health(new TriggerStatus("onReview", "Reviews", ViewType.NEW_AND_OLD_IMAGES,
				EnumSet.allOf(EventType.class), "app-Reviews", TriggerState.PAUSED, List.of(shard), null, null, null,
				new PauseStatus(true, 3, 0, 10_000)));

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(details(health)).containsEntry("pause", new PauseStatus(true, 3, 0, 10_000));
	}

	private static ShardStatus shard(String shardId, ShardStall... stalls) {
		return new ShardStatus(shardId, "41", 1_000, "42", NOW.minus(Duration.ofMinutes(6)), 100L, List.of(stalls));
	}

	private static Health health(TriggerStatus trigger) {
		return new DynamoTriggerHealthIndicator(() -> List.of(trigger), Duration.ofMinutes(5), SHARD_END_TIMEOUT,
				TAKEOVER_TIMEOUT, Clock.fixed(NOW, ZoneOffset.UTC))
			.health();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> details(Health health) {
		return (Map<String, Object>) health.getDetails().get("onReview");
	}

	private static TriggerStatus trigger(List<ShardStatus> shards, ShardHandOff handOff) {
		return trigger(shards, handOff, null);
	}

	private static TriggerStatus trigger(List<ShardStatus> shards, ShardHandOff handOff, Takeover takeover) {
		return new TriggerStatus("onReview", "Reviews", ViewType.NEW_AND_OLD_IMAGES, EnumSet.allOf(EventType.class),
				"app-Reviews", TriggerState.RUNNING, shards, null, handOff, takeover, null);
	}

}
