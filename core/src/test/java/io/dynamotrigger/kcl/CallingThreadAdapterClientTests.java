package io.dynamotrigger.kcl;

import java.util.List;
import java.util.Map;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

import static org.assertj.core.api.Assertions.assertThat;

class CallingThreadAdapterClientTests {

	@Test
	void aResponseConvertsItsRecordsOnce() {
		CallingThreadAdapterClient.ConvertedOnce response = new CallingThreadAdapterClient.ConvertedOnce(
				GetRecordsResponse.builder().records(record("101"), record("102")).build());

		List<KinesisClientRecord> first = response.records();

		assertThat(response.records()).isSameAs(first);
		assertThat(first).extracting(KinesisClientRecord::sequenceNumber).containsExactly("101", "102");
		assertThat(first).allSatisfy((converted) -> assertThat(converted).isInstanceOf(DynamoDBStreamsClientRecord.class));
	}

	@Test
	void aResponseWithoutRecordsHasAnEmptyList() {
		assertThat(new CallingThreadAdapterClient.ConvertedOnce(GetRecordsResponse.builder().build()).records()).isEmpty();
	}

	private static Record record(String sequenceNumber) {
		return Record.builder()
			.eventID("e" + sequenceNumber)
			.eventName(OperationType.INSERT)
			.dynamodb(StreamRecord.builder()
				.keys(Map.of("id", AttributeValue.fromS("item-" + sequenceNumber)))
				.newImage(Map.of("id", AttributeValue.fromS("item-" + sequenceNumber)))
				.sequenceNumber(sequenceNumber)
				.build())
			.build();
	}

}
