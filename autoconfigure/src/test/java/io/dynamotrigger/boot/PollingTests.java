package io.dynamotrigger.boot;

import java.time.Duration;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.kcl.polling.PollingStats;
import io.dynamotrigger.listener.TriggerRegistry;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * How often the consumers call GetRecords while no records arrive, counted on the wire by the streams
 * client and by dynamo-trigger itself. Bounds on counts, not on latency.
 */
@ExtendWith(LocalDynamoDbExtension.class)
class PollingTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final Duration WINDOW = Duration.ofSeconds(5);

	private ReviewsTable table;

	@BeforeEach
	void createTable(LocalDynamoDb local) {
		this.table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);
	}

	@Test
	void adaptivePollingReadsAShardAtRestAboutOnceEveryRestInterval() {
		TestContexts.runner(this.table).withUserConfiguration(CountedStreams.class, Trigger.class).run((context) -> {
			long calls = callsAtRest(context);

			// 250 ms rest interval: 20 calls in 5 s; the adapter's own rule would make 10, idle 0 hundreds.
			assertThat(calls).isBetween(14L, 5 * WINDOW.toSeconds() + 2);
		});
	}

	@Test
	void fixedPollingReadsAShardAtRestEveryTwiceTheFixedInterval() {
		TestContexts.runner(this.table)
			.withUserConfiguration(CountedStreams.class, Trigger.class)
			.withPropertyValues("dynamo-trigger.polling.mode=fixed", "dynamo-trigger.polling.fixed-interval=20ms")
			.run((context) -> {
				long calls = callsAtRest(context);

				// A read every 40 ms: 125 calls in 5 s, fewer on a busy machine; far above the adaptive rest.
				assertThat(calls).isBetween(50L, 130L);
			});
	}

	@Test
	void aTablesPollingReplacesTheGlobalPolling() {
		TestContexts.runner(this.table)
			.withUserConfiguration(CountedStreams.class, Trigger.class)
			.withPropertyValues("dynamo-trigger.polling.mode=fixed", "dynamo-trigger.polling.fixed-interval=20ms",
					"dynamo-trigger.tables." + this.table.name + ".polling.mode=adaptive")
			.run((context) -> {
				long calls = callsAtRest(context);

				// Adaptive at the default 250 ms rest interval, not fixed at 20 ms (some 125 calls).
				assertThat(calls).isBetween(14L, 5 * WINDOW.toSeconds() + 2);
			});
	}

	/**
	 * Waits until a record written now has arrived and the shard's reader has come to rest, then returns
	 * the GetRecords calls of the next {@link #WINDOW}, after checking that dynamo-trigger counted them too.
	 */
	private long callsAtRest(ApplicationContext context) throws InterruptedException {
		this.table.put("p", "r", 5, "wakes the reader");
		context.getBean(Trigger.class).received.awaitCount(1, TIMEOUT);
		Thread.sleep(1_000);
		GetRecordsCounter wire = context.getBean(GetRecordsCounter.class);
		PollingStats stats = context.getBean(TriggerRegistry.class).pollingStats();
		assertThat(stats.shards()).singleElement()
			.satisfies((shard) -> assertThat(shard.table()).isEqualTo(this.table.name));

		long sentBefore = wire.sent();
		long countedBefore = stats.shards().get(0).calls();
		Thread.sleep(WINDOW.toMillis());
		long sent = wire.sent() - sentBefore;
		long counted = stats.shards().get(0).calls() - countedBefore;

		assertThat(counted).isCloseTo(sent, within(1L));
		assertThat(stats.shards().get(0).emptyReadRatio()).isGreaterThan(0.5);
		return sent;
	}

	@Configuration(proxyBeanMethods = false)
	static class CountedStreams {

		@Bean
		GetRecordsCounter getRecordsCounter() {
			return new GetRecordsCounter();
		}

		@Bean(destroyMethod = "close")
		DynamoDbStreamsClient dynamoDbStreamsClient(GetRecordsCounter counter) {
			LocalDynamoDb local = LocalDynamoDb.shared();
			return local.configure(DynamoDbStreamsClient.builder())
				.overrideConfiguration((config) -> config.addExecutionInterceptor(counter))
				.build();
		}

	}

	static class Trigger {

		final Received<Review> received = new Received<>();

		@DynamoTrigger(table = "${test.table}")
		void onReview(Review review) {
			this.received.add(review);
		}

	}

}
