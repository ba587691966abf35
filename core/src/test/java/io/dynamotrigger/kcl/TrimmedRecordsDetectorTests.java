package io.dynamotrigger.kcl;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import io.dynamotrigger.metrics.ReadResult;
import io.dynamotrigger.metrics.ShardMeters;
import io.dynamotrigger.metrics.TriggerMeters;
import io.dynamotrigger.metrics.TriggerMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
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
 * for a trimmed checkpoint and for the reads from the trim horizon that follow.
 */
class TrimmedRecordsDetectorTests {

	private static final String STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/Reviews/stream/2026-11-25T10:00:00.000";

	private final List<String> trimmedTables = new CopyOnWriteArrayList<>();

	private volatile String error = "TrimmedDataAccessException";

	private volatile boolean answering;

	private volatile boolean ended;

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	private final Logger detectorLog = (Logger) LoggerFactory.getLogger(TrimmedRecordsDetector.class);

	private HttpServer server;

	private DynamoDbStreamsClient client;

	@BeforeEach
	void startEndpoint() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", (exchange) -> {
			String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			String answer = answer(request);
			int status = (answer != null) ? 200 : 400;
			byte[] body = ((answer != null) ? answer
					: "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + this.error + "\",\"message\":\"x\"}")
				.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
			exchange.sendResponseHeaders(status, body.length);
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
		this.detectorLog.detachAppender(this.logs);
	}

	/**
	 * Once {@link #answering}, as DynamoDB Streams answers once a checkpoint is trimmed: the trim horizon's iterator, then an empty
	 * read, then a read of the shard's oldest record left (sequence number 4300), or, after {@link #ended}, the
	 * shard's end without a record; an iterator after a sequence number fails.
	 */
	private String answer(String request) {
		if (!this.answering) {
			return null;
		}
		if (request.contains("\"TRIM_HORIZON\"")) {
			return "{\"ShardIterator\":\"it-1\"}";
		}
		if (request.contains("\"it-1\"")) {
			return "{\"Records\":[],\"NextShardIterator\":\"it-2\"}";
		}
		if (request.contains("\"it-2\"")) {
			return this.ended ? "{\"Records\":[]}" : "{\"Records\":[{\"eventName\":\"INSERT\",\"dynamodb\":"
					+ "{\"SequenceNumber\":\"4300\"}}],\"NextShardIterator\":\"it-3\"}";
		}
		return null;
	}

	@Test
	void aTrimmedRangeIsLoggedWithBothEndsOnceTheOldestRecordLeftIsRead() {
		this.logs.start();
		this.detectorLog.addAppender(this.logs);

		readOnFromTheTrimHorizon();

		assertThat(this.logs.list).singleElement().satisfies((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.ERROR);
			assertThat(event.getFormattedMessage()).startsWith("Records of table Reviews shard shardId-1 after sequence"
					+ " number 4200 up to sequence number 4300 (the oldest record still in the shard, not included)");
		});
		assertThat(this.trimmedTables).containsExactly("Reviews");
	}

	@Test
	void aTrimmedRangeOfAShardThatEndedWithoutARecordLeftGoesUpToTheShardsEnd() {
		this.ended = true;
		this.logs.start();
		this.detectorLog.addAppender(this.logs);

		readOnFromTheTrimHorizon();

		assertThat(this.logs.list).singleElement().satisfies((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.ERROR);
			assertThat(event.getFormattedMessage()).startsWith("Records of table Reviews shard shardId-1 after sequence"
					+ " number 4200 up to the shard's end were trimmed");
		});
	}

	/**
	 * What the adapter does on a trimmed checkpoint: asks for the trim horizon, and KCL reads from there.
	 */
	private void readOnFromTheTrimHorizon() {
		this.answering = true;
		assertThatExceptionOfType(TrimmedDataAccessException.class)
			.isThrownBy(() -> this.client.getShardIterator((request) -> request.streamArn(STREAM)
				.shardId("shardId-1")
				.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
				.sequenceNumber("4200")));
		String iterator = this.client.getShardIterator((request) -> request.streamArn(STREAM)
			.shardId("shardId-1")
			.shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
		String next = this.client.getRecords((request) -> request.shardIterator(iterator)).nextShardIterator();
		assertThat(this.logs.list).as("logged before the oldest record left is known").isEmpty();
		this.client.getRecords((request) -> request.shardIterator(next));
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
