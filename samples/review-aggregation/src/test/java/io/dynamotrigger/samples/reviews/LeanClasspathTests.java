package io.dynamotrigger.samples.reviews;

import java.util.List;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import org.junit.jupiter.api.Test;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The starter leaves out what KCL pulls in through the Glue schema registry and never uses on this path
 * (Kafka, Kotlin, Avro, the Glue and STS clients, ...): the sample's classpath, which is what the starter
 * gives an application, lacks them, and KCL's record types still resolve. That records flow over this
 * classpath end to end is {@link ReviewAggregationApplicationTests}'s part.
 */
class LeanClasspathTests {

	@Test
	void schemaRegistryDependenciesThatKclNeverUsesAreAbsent() {
		List<String> excluded = List.of("org.apache.kafka.common.Uuid", "kotlin.Unit", "org.apache.avro.Schema",
				"com.squareup.wire.Message", "okio.Buffer", "scala.Option", "io.github.classgraph.ClassGraph",
				"software.amazon.awssdk.services.glue.GlueClient",
				"software.amazon.awssdk.services.sts.StsClient");

		assertThat(excluded).allSatisfy((name) -> assertThatExceptionOfType(ClassNotFoundException.class)
			.as(name)
			.isThrownBy(() -> Class.forName(name)));
	}

	@Test
	void kclRecordTypesResolveEveryTypeTheyReferenceByReflection() {
		assertThatCode(() -> {
			for (Class<?> type : List.of(KinesisClientRecord.class, DynamoDBStreamsClientRecord.class)) {
				type.getDeclaredFields();
				type.getDeclaredMethods();
				type.getDeclaredConstructors();
			}
		}).doesNotThrowAnyException();
	}

}
