package io.dynamotrigger.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.dynamotrigger.test.LocalDynamoDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances run a tumbling-window trigger (10 s windows) on the stream while records flow; the lease
 * holder is killed with {@code kill -9} in the middle of a window and the other takes the shard over. Every
 * record written is in exactly one closed window's final state, the window of its creation time; a window
 * whose final call both instances made has the same final state from both. With
 * {@code dynamo-trigger.fast-failover=true} and with the defaults.
 */
class WindowKillNineTests {

	private static final String SCENARIO = "window-kill-9";

	private static final String DEFAULTS_SCENARIO = "window-kill-9-defaults";

	private static final long WINDOW_SECONDS = 10;

	@Test
	void afterATakeoverEveryRecordIsInExactlyOneClosedWindowOfItsCreationTime() {
		runOnce(SCENARIO, false);
	}

	@Test
	@EnabledIfSystemProperty(named = "reliability.long", matches = "true")
	void afterATakeoverWithTheDefaultsEveryRecordIsInExactlyOneClosedWindowOfItsCreationTime() {
		runOnce(DEFAULTS_SCENARIO, true, "--dynamo-trigger.fast-failover=false");
	}

	private void runOnce(String scenario, boolean leaderFirst, String... extra) {
		List<String> settings = new ArrayList<>(List.of("--reliability.window=" + WINDOW_SECONDS + "s"));
		settings.addAll(List.of(extra));
		String[] args = settings.toArray(String[]::new);
		try (LocalDynamoDb moto = LocalDynamoDb.start();
				Workload workload = Workload.create(moto.endpoint());
				DynamoDbClient oracle = client(moto);
				AppProcess first = AppProcess.start("first", moto.endpoint(), moto.endpoint(),
						Report.log(scenario, 1, "first"), args);
				AppProcess second = startSecond(first, leaderFirst, moto, Report.log(scenario, 1, "second"), args)) {
			oracle.createTable((table) -> table.tableName(WindowRecorder.WINDOWS)
				.billingMode(BillingMode.PAY_PER_REQUEST)
				.attributeDefinitions(AttributeDefinition.builder()
					.attributeName("id")
					.attributeType(ScalarAttributeType.S)
					.build())
				.keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
			first.awaitOutput("Started OracleApplication", 1, Duration.ofMinutes(2));
			second.awaitOutput("Started OracleApplication", 1, Duration.ofMinutes(2));
			awaitLeaseHolder(first, second);
			AtomicBoolean stopWriting = new AtomicBoolean();
			CompletableFuture<Void> writing = workload.writeInBackgroundUntil(stopWriting, 20);
			AppProcess victim = first.holdsLease() ? first : second;
			AppProcess survivor = (victim == first) ? second : first;
			int survivorLeases = survivor.occurrences(AppProcess.TOOK_LEASE);
			victim.awaitOutput("WINDOW ", 1, Duration.ofMinutes(2));
			victim.awaitHandled(victim.occurrences("HANDLED") * 50 + 100, Duration.ofMinutes(2));

			long killedAt = System.nanoTime();
			victim.kill();
			survivor.awaitOutput(AppProcess.TOOK_LEASE, survivorLeases + 1, Duration.ofMinutes(3));
			double takeoverSeconds = (System.nanoTime() - killedAt) / 1e9;
			AppProcess.sleep(WINDOW_SECONDS * 1000);
			stopWriting.set(true);
			writing.join();
			Set<String> written = written(workload.writtenByKey());
			Map<String, List<Window>> finals = awaitFinals(oracle, written, Duration.ofMinutes(3));
			survivor.stop();

			List<String> inClosedWindows = new ArrayList<>();
			int repeatedFinals = 0;
			for (List<Window> sameWindow : finals.values()) {
				assertThat(sameWindow).as("final states of one window").allSatisfy(
						(window) -> assertThat(window.records()).isEqualTo(sameWindow.get(0).records()));
				repeatedFinals += sameWindow.size() - 1;
				for (String record : sameWindow.get(0).records()) {
					long created = Long.parseLong(record.substring(record.indexOf('@') + 1));
					assertThat(created).as(record + " in window " + sameWindow.get(0).start())
						.isBetween(sameWindow.get(0).start(), sameWindow.get(0).start() + WINDOW_SECONDS - 1);
					inClosedWindows.add(record.substring(0, record.indexOf('@')));
				}
			}
			Report.line(scenario, 1, 1, workload.tally(), String.format(
					"%d records in %d closed windows, %d final calls made twice (victim and survivor), takeover %.1f s"
							+ " after the kill, victim killed with %s",
					written.size(), finals.size(), repeatedFinals, takeoverSeconds, victim.name()));
			assertThat(inClosedWindows).doesNotHaveDuplicates();
			assertThat(new HashSet<>(inClosedWindows)).isEqualTo(written);
		}
	}

	private static Set<String> written(Map<String, Long> byKey) {
		Set<String> written = new HashSet<>();
		byKey.forEach((key, last) -> {
			for (long seq = 1; seq <= last; seq++) {
				written.add(key + "/" + seq);
			}
		});
		return written;
	}

	/**
	 * Waits until the closed windows' final states hold every record written.
	 * @return the final calls by window start and shard
	 */
	private static Map<String, List<Window>> awaitFinals(DynamoDbClient oracle, Set<String> written, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			Map<String, List<Window>> finals = new HashMap<>();
			Set<String> seen = new HashSet<>();
			for (Map<String, AttributeValue> item : oracle
				.scanPaginator((scan) -> scan.tableName(WindowRecorder.WINDOWS).consistentRead(true))
				.items()) {
				String records = item.get("records").s();
				Window window = new Window(Long.parseLong(item.get("windowStart").n()), item.get("shard").s(),
						records.isEmpty() ? List.of() : List.of(records.split(",")));
				finals.computeIfAbsent(window.start() + "/" + window.shard(), (key) -> new ArrayList<>()).add(window);
				window.records().forEach((record) -> seen.add(record.substring(0, record.indexOf('@'))));
			}
			if (seen.containsAll(written) || System.nanoTime() > deadline) {
				return finals;
			}
			AppProcess.sleep(500);
		}
	}

	private static AppProcess startSecond(AppProcess first, boolean afterFirstHoldsTheLease, LocalDynamoDb moto,
			java.nio.file.Path log, String... settings) {
		if (afterFirstHoldsTheLease) {
			first.awaitOutput(AppProcess.TOOK_LEASE, 1, Duration.ofMinutes(2));
		}
		return AppProcess.start("second", moto.endpoint(), moto.endpoint(), log, settings);
	}

	private static void awaitLeaseHolder(AppProcess first, AppProcess second) {
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while (!first.holdsLease() && !second.holdsLease()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Neither instance took the lease within 2 minutes; see " + first.log());
			}
			AppProcess.sleep(100);
		}
	}

	private static DynamoDbClient client(LocalDynamoDb moto) {
		return DynamoDbClient.builder()
			.endpointOverride(moto.endpoint())
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
			.build();
	}

	private record Window(long start, String shard, List<String> records) {
	}

}
