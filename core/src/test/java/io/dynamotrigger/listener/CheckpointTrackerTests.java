package io.dynamotrigger.listener;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CheckpointTrackerTests {

	@Test
	void nothingIsCheckpointableUntilTheFirstRecordIsDone() {
		CheckpointTracker tracker = new CheckpointTracker(List.of("1", "2", "3"));
		tracker.done(1);
		tracker.done(2);

		assertThat(tracker.lastContiguousDone()).isNull();
	}

	@Test
	void checkpointStopsBeforeTheFirstRecordThatIsNotDone() {
		CheckpointTracker tracker = new CheckpointTracker(List.of("1", "2", "3", "4"));
		tracker.done(0);
		tracker.done(1);
		tracker.done(3);

		assertThat(tracker.lastContiguousDone()).isEqualTo("2");
	}

	@Test
	void fillingTheGapMovesTheCheckpointToTheLastDoneRecord() {
		CheckpointTracker tracker = new CheckpointTracker(List.of("1", "2", "3", "4"));
		tracker.done(0);
		tracker.done(2);
		tracker.done(3);
		tracker.done(1);

		assertThat(tracker.lastContiguousDone()).isEqualTo("4");
	}

	@Test
	void inAnyCompletionOrderTheCheckpointIsAlwaysTheEndOfTheDonePrefix() {
		for (long seed = 0; seed < 500; seed++) {
			Random random = new Random(seed);
			int size = 1 + random.nextInt(60);
			List<String> sequenceNumbers = IntStream.range(0, size).mapToObj((i) -> Integer.toString(100 + i)).toList();
			List<Integer> order = new ArrayList<>(IntStream.range(0, size).boxed().toList());
			Collections.shuffle(order, random);
			int completed = random.nextInt(size + 1);
			CheckpointTracker tracker = new CheckpointTracker(sequenceNumbers);
			boolean[] done = new boolean[size];

			for (int step = 0; step < completed; step++) {
				tracker.done(order.get(step));
				done[order.get(step)] = true;
				int prefix = 0;
				while (prefix < size && done[prefix]) {
					prefix++;
				}

				assertThat(tracker.lastContiguousDone()).as("seed %d step %d", seed, step)
					.isEqualTo((prefix == 0) ? null : sequenceNumbers.get(prefix - 1));
			}
		}
	}

}
