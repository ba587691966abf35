package io.dynamotrigger.kcl;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

import static org.assertj.core.api.Assertions.assertThat;

class CallingThreadAdapterClientTests {

	private static final Instant CREATED = Instant.parse("2026-12-03T10:15:30Z");

	@Test
	void aResponseConvertsItsRecordsOnce() {
		CallingThreadAdapterClient.ConvertedOnce response = response(record("101"), record("102"));

		List<KinesisClientRecord> first = response.records();

		assertThat(response.records()).isSameAs(first);
		assertThat(first).extracting(KinesisClientRecord::sequenceNumber).containsExactly("101", "102");
	}

	@Test
	void aConvertedRecordCarriesTheStreamRecordAsTheAdapterConvertsIt() {
		Record record = record("101");
		DynamoDBStreamsClientRecord adapters = DynamoDBStreamsClientRecord.fromRecord(record);

		KinesisClientRecord converted = response(record).records().get(0);

		assertThat(converted).isInstanceOfSatisfying(DynamoDBStreamsClientRecord.class,
				(streamRecord) -> assertThat(streamRecord.getRecord()).isSameAs(record));
		assertThat(converted.sequenceNumber()).isEqualTo(adapters.sequenceNumber());
		assertThat(converted.approximateArrivalTimestamp()).isEqualTo(CREATED);
		assertThat(converted.partitionKey()).isEqualTo(adapters.partitionKey());
		assertThat(converted.subSequenceNumber()).isEqualTo(adapters.subSequenceNumber());
		assertThat(converted.aggregated()).isFalse();
	}

	@Test
	void aConvertedRecordsDataIsAsLongAsTheStreamRecordSoThatKclMeasuresTheLeasesThroughput() {
		KinesisClientRecord converted = response(record("101", 1234L)).records().get(0);

		assertThat(converted.data().limit()).isEqualTo(1234);
		assertThat(converted.data().isReadOnly()).isTrue();
	}

	@Test
	void aStreamRecordWithoutASizeHasEmptyData() {
		assertThat(response(record("101", null)).records().get(0).data().limit()).isZero();
	}

	@Test
	void dataStopsAtTwiceTheItemLimit() {
		KinesisClientRecord converted = response(record("101", 5_000_000L)).records().get(0);

		assertThat(converted.data().limit()).isEqualTo(CallingThreadAdapterClient.SizedWithoutCopy.MAX_SIZE);
	}

	@Test
	void kclsLookForAggregatedRecordsPassesConvertedRecordsThrough() {
		List<KinesisClientRecord> records = response(record("101"), record("102")).records();

		assertThat(new AggregatorUtil().deaggregate(records)).containsExactlyElementsOf(records);
	}

	@Test
	void aResponseWithoutRecordsHasAnEmptyList() {
		assertThat(response().records()).isEmpty();
	}

	private static CallingThreadAdapterClient.ConvertedOnce response(Record... records) {
		return new CallingThreadAdapterClient.ConvertedOnce(GetRecordsResponse.builder().records(records).build());
	}

	private static Record record(String sequenceNumber) {
		return record(sequenceNumber, 300L);
	}

	private static Record record(String sequenceNumber, Long sizeBytes) {
		return Record.builder()
			.eventID("e" + sequenceNumber)
			.eventName(OperationType.INSERT)
			.dynamodb(StreamRecord.builder()
				.keys(Map.of("id", AttributeValue.fromS("item-" + sequenceNumber)))
				.newImage(Map.of("id", AttributeValue.fromS("item-" + sequenceNumber)))
				.sequenceNumber(sequenceNumber)
				.approximateCreationDateTime(CREATED)
				.sizeBytes(sizeBytes)
				.build())
			.build();
	}

}
