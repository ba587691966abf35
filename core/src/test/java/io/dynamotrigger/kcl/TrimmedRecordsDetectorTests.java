package io.dynamotrigger.kcl;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.dynamotrigger.metrics.ReadResult;
import io.dynamotrigger.metrics.ShardMeters;
import io.dynamotrigger.metrics.TriggerMeters;
import io.dynamotrigger.metrics.TriggerMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The real DynamoDB Streams client against a loopback HTTP endpoint that answers as DynamoDB Streams does
 * for a trimmed checkpoint (the local endpoint never trims).
 */
class TrimmedRecordsDetectorTests {

	private static final String STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/Reviews/stream/2026-11-25T10:00:00.000";

	private final List<String> trimmedTables = new CopyOnWriteArrayList<>();

	private volatile String error = "TrimmedDataAccessException";

	private HttpServer server;

	private DynamoDbStreamsClient client;

	@BeforeEach
	void startEndpoint() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", (exchange) -> {
			byte[] body = ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + this.error + "\",\"message\":\"x\"}")
				.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
			exchange.sendResponseHeaders(400, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		this.server.start();
		this.client = DynamoDbStreamsClient.builder()
			.endpointOverride(URI.create("http://127.0.0.1:" + this.server.getAddress().getPort()))
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
			.overrideConfiguration((config) -> config.addExecutionInterceptor(new TrimmedRecordsDetector(() -> metrics())))
			.build();
	}

	@AfterEach
	void stopEndpoint() {
		this.client.close();
		this.server.stop(0);
	}

	@Test
	void resumingAtATrimmedCheckpointIsCountedForTheTable() {
		assertThatExceptionOfType(TrimmedDataAccessException.class)
			.isThrownBy(() -> this.client.getShardIterator((request) -> request.streamArn(STREAM)
				.shardId("shardId-1")
				.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
				.sequenceNumber("4200")));

		assertThat(this.trimmedTables).containsExactly("Reviews");
	}

	@Test
	void startingAtTheOldestRecordLosesNothingAndIsNotCounted() {
		assertThatExceptionOfType(TrimmedDataAccessException.class)
			.isThrownBy(() -> this.client.getShardIterator((request) -> request.streamArn(STREAM)
				.shardId("shardId-1")
				.shardIteratorType(ShardIteratorType.TRIM_HORIZON)));

		assertThat(this.trimmedTables).isEmpty();
	}

	@Test
	void resumingInAShardGoneFromTheStreamIsCountedForTheTable() {
		this.error = "ResourceNotFoundException";

		assertThatExceptionOfType(ResourceNotFoundException.class)
			.isThrownBy(() -> this.client.getShardIterator((request) -> request.streamArn(STREAM)
				.shardId("shardId-1")
				.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
				.sequenceNumber("4200")));

		assertThat(this.trimmedTables).containsExactly("Reviews");
	}

	@Test
	void startingAShardGoneFromTheStreamIsNotCounted() {
		// It may have closed without records.
		this.error = "ResourceNotFoundException";

		assertThatExceptionOfType(ResourceNotFoundException.class)
			.isThrownBy(() -> this.client.getShardIterator((request) -> request.streamArn(STREAM)
				.shardId("shardId-1")
				.shardIteratorType(ShardIteratorType.TRIM_HORIZON)));

		assertThat(this.trimmedTables).isEmpty();
	}

	private TriggerMetrics metrics() {
		return new TriggerMetrics() {

			@Override
			public TriggerMeters trigger(String triggerId, String table) {
				return TriggerMetrics.NONE.trigger(triggerId, table);
			}

			@Override
			public ShardMeters shard(String table, String shardId) {
				return TriggerMetrics.NONE.shard(table, shardId);
			}

			@Override
			public void trimmed(String table) {
				TrimmedRecordsDetectorTests.this.trimmedTables.add(table);
			}

			@Override
			public void read(String table, ReadResult result) {
			}

		};
	}

}
