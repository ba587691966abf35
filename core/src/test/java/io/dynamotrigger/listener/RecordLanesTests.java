package io.dynamotrigger.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

import static org.assertj.core.api.Assertions.assertThat;

class RecordLanesTests {

	private final RecordLanes lanes = new RecordLanes("Chat", "shard-1", 4, "room");

	@AfterEach
	void close() {
		this.lanes.close();
	}

	@Test
	void itemsSharingAPartitionKeyStayOnOneLaneInStreamOrder() throws Exception {
		List<DynamoDBStreamsClientRecord> read = new ArrayList<>();
		for (int i = 1; i <= 40; i++) {
			read.add(record("room-" + (i % 3), "message-" + i, Integer.toString(i)));
		}
		Map<String, List<String>> byRoom = new ConcurrentHashMap<>();
		Map<String, String> laneOfRoom = new ConcurrentHashMap<>();
		List<String> otherLanes = new CopyOnWriteArrayList<>();

		this.lanes.handle(read, (record, index) -> {
			String room = record.getRecord().dynamodb().keys().get("room").s();
			byRoom.computeIfAbsent(room, (key) -> new CopyOnWriteArrayList<>()).add(record.sequenceNumber());
			String lane = Thread.currentThread().getName();
			if (!laneOfRoom.computeIfAbsent(room, (key) -> lane).equals(lane)) {
				otherLanes.add(room + " on " + lane);
			}
			return true;
		}, checkpointer(read));

		assertThat(otherLanes).isEmpty();
		assertThat(byRoom).hasSize(3);
		byRoom.values()
			.forEach((sequenceNumbers) -> assertThat(sequenceNumbers)
				.isSortedAccordingTo((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b))));
	}

	@Test
	void everyRecordOfTheReadIsMarkedDoneSoTheCheckpointReachesItsLastRecord() throws Exception {
		List<DynamoDBStreamsClientRecord> read = List.of(record("a", "1", "1"), record("b", "1", "2"),
				record("c", "1", "3"), record("a", "2", "4"));
		ShardCheckpointer checkpointer = checkpointer(read);

		this.lanes.handle(read, (record, index) -> true, checkpointer);

		assertThat(checkpointer.done(List.of())).isEqualTo("4");
	}

	private static ShardCheckpointer checkpointer(List<DynamoDBStreamsClientRecord> read) {
		ShardCheckpointer checkpointer = new ShardCheckpointer("Chat", "shard-1", "TRIM_HORIZON",
				new ShardProgress("shard-1", "TRIM_HORIZON", 0), () -> Long.MAX_VALUE);
		checkpointer.received(read);
		return checkpointer;
	}

	private static DynamoDBStreamsClientRecord record(String room, String message, String sequenceNumber) {
		return DynamoDBStreamsClientRecord.fromRecord(Record.builder()
			.eventName(OperationType.INSERT)
			.dynamodb(StreamRecord.builder()
				.keys(Map.of("room", AttributeValue.fromS(room), "message", AttributeValue.fromS(message)))
				.sequenceNumber(sequenceNumber)
				.build())
			.build());
	}

}
