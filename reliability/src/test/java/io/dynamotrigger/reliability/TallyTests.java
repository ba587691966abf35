package io.dynamotrigger.reliability;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The oracle's order check on a stream of several shards: an item's records are in one shard lineage, a parent
 * shard and its child may be processed by different instances or by one instance on two threads.
 */
class TallyTests {

	@Test
	void childRecordHandledByAnotherInstanceBeforeItsParentsRecordIsAnOrderViolation() {
		Tally tally = Tally.of(Map.of("k1", 2L), Set.of(),
				List.of(call("k1", 1, "a.1", 7, 2_000, "parent"), call("k1", 2, "b.2", 3, 1_999, "child")));

		assertThat(tally.orderViolations()).isOne();
	}

	@Test
	void childRecordHandledByAnotherInstanceAfterItsParentsRecordIsInOrder() {
		Tally tally = Tally.of(Map.of("k1", 2L), Set.of(),
				List.of(call("k1", 1, "a.1", 7, 2_000, "parent"), call("k1", 2, "b.2", 3, 2_001, "child")));

		assertThat(tally.orderViolations()).isZero();
		assertThat(tally.lost()).isZero();
	}

	@Test
	void parentAndChildOnTwoThreadsOfOneInstanceAreOrderedByCallNumber() {
		Tally tally = Tally.of(Map.of("k1", 2L), Set.of(),
				List.of(call("k1", 1, "a.1", 8, 2_000, "parent"), call("k1", 2, "a.1", 7, 2_000, "child")));

		assertThat(tally.orderViolations()).isOne();
	}

	@Test
	void redeliveryByTheTakingOverInstanceIsADuplicateNotAViolation() {
		Tally tally = Tally.of(Map.of("k1", 2L), Set.of(),
				List.of(call("k1", 1, "a.1", 1, 1_000, "s"), call("k1", 2, "a.1", 2, 1_001, "s"),
						call("k1", 2, "b.2", 1, 5_000, "s")));

		assertThat(tally.orderViolations()).isZero();
		assertThat(tally.duplicates()).isOne();
		assertThat(tally.sameInstanceDuplicates()).isZero();
	}

	private static Tally.Call call(String key, long seq, String instance, long callNo, long at, String shard) {
		return new Tally.Call(key, seq, instance, callNo, at, shard, Long.toString(seq));
	}

}
