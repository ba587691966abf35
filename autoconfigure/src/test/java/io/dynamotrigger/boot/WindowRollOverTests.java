package io.dynamotrigger.boot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.WindowContext;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbTest;
import io.dynamotrigger.test.LocalDynamoDbTest.Topology;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Windows are kept per shard: when shards roll over (every 10 records, 2 shards to start with) in the middle
 * of a window, the parent's part of the window closes at the parent's end and the child starts its own, so a
 * window has one final call per shard; together they hold each of the window's records exactly once.
 */
@LocalDynamoDbTest(topology = @Topology(shards = 2, rollOverAfterRecords = 10))
class WindowRollOverTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(120);

	private static final int RECORDS = 60;

	@Test
	void aWindowAcrossShardRollOversHasOneFinalPerShardAndEachRecordOnce(LocalDynamoDb local) throws Exception {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);

		TestContexts.runner(table).withUserConfiguration(ShardWindowTriggers.class).run((context) -> {
			ShardWindowTriggers triggers = context.getBean(ShardWindowTriggers.class);
			table.put("p0", "r0000", 1, "x");
			triggers.records.awaitCount(1, TIMEOUT);
			for (int i = 1; i < RECORDS; i++) {
				table.put("p" + (i % 7), "r%04d".formatted(i), 1, "x");
				Thread.sleep(50);
			}
			triggers.records.awaitCount(RECORDS, TIMEOUT);
			triggers.finals.awaitUntil((last) -> idsIn(triggers.finals.all()).size() >= RECORDS, TIMEOUT);

			List<Final> finals = triggers.finals.all();
			Map<Instant, Set<String>> expected = new TreeMap<>();
			for (Change change : triggers.records.all()) {
				expected.computeIfAbsent(startOf(change.created()), (key) -> new HashSet<>()).add(change.id());
			}
			Map<Instant, Set<String>> byWindow = new TreeMap<>();
			finals.forEach((last) -> byWindow.computeIfAbsent(last.windowStart(), (key) -> new HashSet<>())
				.addAll(last.ids()));
			Map<Instant, Long> shardsPerWindow = finals.stream()
				.collect(Collectors.groupingBy(Final::windowStart, TreeMap::new,
						Collectors.mapping(Final::shardId, Collectors.counting())));
			System.out.println("Windows across roll-overs: finals per window " + shardsPerWindow);

			assertThat(idsIn(finals)).doesNotHaveDuplicates().hasSize(RECORDS);
			assertThat(byWindow).isEqualTo(expected);
			assertThat(shardsPerWindow.values()).anySatisfy((shards) -> assertThat(shards).isGreaterThan(2));
		});
	}

	private static Instant startOf(Instant created) {
		return Instant.ofEpochSecond(Math.floorDiv(created.getEpochSecond(), 30) * 30);
	}

	private static List<String> idsIn(List<Final> finals) {
		return finals.stream().flatMap((last) -> last.ids().stream()).toList();
	}

	record Change(String id, Instant created) {
	}

	record Final(Instant windowStart, String shardId, List<String> ids) {
	}

	/**
	 * A window's state: the review ids of its records.
	 */
	record Ids(List<String> ids) {
	}

	static class ShardWindowTriggers {

		final Received<Change> records = new Received<>();

		final Received<Final> finals = new Received<>();

		@DynamoTrigger(table = "${test.table}", window = "30s")
		Ids onWindow(List<ItemChange<Review>> changes, Ids state, WindowContext context) {
			if (context.finalInvokeForWindow()) {
				this.finals.add(new Final(context.windowStart(), context.shardId(), state.ids()));
				return state;
			}
			List<String> ids = new ArrayList<>((state != null) ? state.ids() : List.of());
			changes.forEach((change) -> ids.add(change.newImage().getReviewId()));
			return new Ids(ids);
		}

		@DynamoTrigger(table = "${test.table}")
		void onRecord(ItemChange<Review> change) {
			this.records.add(new Change(change.newImage().getReviewId(), change.approximateCreationTime()));
		}

	}

}
