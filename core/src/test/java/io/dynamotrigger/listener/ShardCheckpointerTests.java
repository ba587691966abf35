package io.dynamotrigger.listener;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

import static org.assertj.core.api.Assertions.assertThat;

class ShardCheckpointerTests {

	@Test
	void nothingIsCheckpointableUntilTheFirstRecordIsDone() {
		ShardCheckpointer tracker = checkpointer(List.of("1", "2", "3"));
		tracker.recordDone(1);
		tracker.recordDone(2);

		assertThat(tracker.done(List.of())).isNull();
	}

	@Test
	void checkpointStopsBeforeTheFirstRecordThatIsNotDone() {
		ShardCheckpointer tracker = checkpointer(List.of("1", "2", "3", "4"));
		tracker.recordDone(0);
		tracker.recordDone(1);
		tracker.recordDone(3);

		assertThat(tracker.done(List.of())).isEqualTo("2");
	}

	@Test
	void fillingTheGapMovesTheCheckpointToTheLastDoneRecord() {
		ShardCheckpointer tracker = checkpointer(List.of("1", "2", "3", "4"));
		tracker.recordDone(0);
		tracker.recordDone(2);
		tracker.recordDone(3);
		tracker.recordDone(1);

		assertThat(tracker.done(List.of())).isEqualTo("4");
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
			ShardCheckpointer tracker = checkpointer(sequenceNumbers);
			boolean[] done = new boolean[size];

			for (int step = 0; step < completed; step++) {
				tracker.recordDone(order.get(step));
				done[order.get(step)] = true;
				int prefix = 0;
				while (prefix < size && done[prefix]) {
					prefix++;
				}

				assertThat(tracker.done(List.of())).as("seed %d step %d", seed, step)
					.isEqualTo((prefix == 0) ? null : sequenceNumbers.get(prefix - 1));
			}
		}
	}

	@Test
	void windowsThatCouldNotSaveHoldTheCheckpointBeforeTheirFirstUnsavedRecord() {
		ShardCheckpointer tracker = checkpointer(List.of("1", "2", "3", "4"));
		tracker.readDone();
		tracker.windowsHeldAt(2);

		assertThat(tracker.done(List.of())).isEqualTo("2");
		assertThat(tracker.everythingDone(List.of())).isFalse();

		tracker.windowsHeldAt(Long.MAX_VALUE);
		assertThat(tracker.done(List.of())).isEqualTo("4");
		assertThat(tracker.everythingDone(List.of())).isTrue();
	}

	/**
	 * A checkpointer that received one read of records with the given sequence numbers.
	 */
	private static ShardCheckpointer checkpointer(List<String> sequenceNumbers) {
		ShardCheckpointer checkpointer = new ShardCheckpointer("Reviews", "shard-1", "TRIM_HORIZON",
				new ShardProgress("shard-1", "TRIM_HORIZON", 0), () -> Long.MAX_VALUE);
		checkpointer.received(sequenceNumbers.stream()
			.map((sequenceNumber) -> DynamoDBStreamsClientRecord.fromRecord(Record.builder()
				.eventName(OperationType.INSERT)
				.dynamodb(StreamRecord.builder().sequenceNumber(sequenceNumber).build())
				.build()))
			.toList());
		return checkpointer;
	}

}
