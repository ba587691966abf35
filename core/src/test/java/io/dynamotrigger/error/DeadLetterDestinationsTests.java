package io.dynamotrigger.error;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.dynamotrigger.StreamRecords;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.OperationType;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterDestinationsTests {

	private final RecordingDestination global = new RecordingDestination();

	private final RecordingDestination audit = new RecordingDestination();

	private final DeadLetterDestinations destinations = new DeadLetterDestinations(this.global,
			Map.of("audit", this.audit, "audit-copy", this.audit));

	@Test
	void aTriggersDeadLettersGoToItsOwnDestinationOthersToTheDefault() throws Exception {
		DeadLetterHandler handler = this.destinations.handler();

		handler.handle(deadLetter("audit"));
		handler.handle(deadLetter("counter"));

		assertThat(this.audit.received).extracting((deadLetter) -> deadLetter.source().triggerId()).containsExactly("audit");
		assertThat(this.global.received).extracting((deadLetter) -> deadLetter.source().triggerId()).containsExactly("counter");
	}

	@Test
	void eachDestinationIsPreparedOnce() {
		this.destinations.handler().prepare();

		assertThat(this.global.prepared).isEqualTo(1);
		assertThat(this.audit.prepared).isEqualTo(1);
	}

	@Test
	void onlyATableDestinationIsATable() {
		DynamoDbDeadLetterTable table = new DynamoDbDeadLetterTable(null, "audit-dead-letters", null);
		DeadLetterDestinations withTable = new DeadLetterDestinations(this.global, Map.of("audit", table));

		assertThat(withTable.tableOf("audit")).containsSame(table);
		assertThat(withTable.tableOf("counter")).isEmpty();
	}

	private static DeadLetterRecord deadLetter(String triggerId) {
		Instant now = Instant.now();
		return DeadLetterRecord.of(triggerId, "Reviews", "shard-1", StreamRecords.record(OperationType.INSERT, "1", null, StreamRecords.review("r1", 5, "ok")),
				DeadLetterReason.RETRIES_EXHAUSTED, new IllegalStateException("boom"), 1, now, now);
	}

	private static final class RecordingDestination implements DeadLetterHandler {

		final List<DeadLetterRecord> received = new ArrayList<>();

		int prepared;

		@Override
		public void handle(DeadLetterRecord deadLetter) {
			this.received.add(deadLetter);
		}

		@Override
		public void prepare() {
			this.prepared++;
		}

	}

}
