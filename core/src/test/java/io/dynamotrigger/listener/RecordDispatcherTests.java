package io.dynamotrigger.listener;

import java.lang.reflect.Method;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.Review;
import io.dynamotrigger.ViewType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.FixedBackOff;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

import static org.assertj.core.api.Assertions.assertThat;

class RecordDispatcherTests {

	private static final BackOff RETRY_AT_ONCE = new FixedBackOff(1, FixedBackOff.UNLIMITED_ATTEMPTS);

	private final List<String> calls = new CopyOnWriteArrayList<>();

	private RecordDispatcher dispatcher;

	@AfterEach
	void stopDispatcher() {
		if (this.dispatcher != null) {
			this.dispatcher.stop();
		}
	}

	@Test
	void recordGoesToEveryTriggerThatAcceptsItsEventTypeInTriggerOrder() {
		this.dispatcher = new RecordDispatcher("Reviews",
				List.of(endpoint("notify", new RecordingHandler("notify", this.calls), EventType.MODIFY),
						endpoint("audit", new RecordingHandler("audit", this.calls), EventType.values()),
						endpoint("count", new RecordingHandler("count", this.calls), EventType.INSERT,
								EventType.MODIFY)),
				RETRY_AT_ONCE);

		assertThat(this.dispatcher.dispatch(record(OperationType.MODIFY), "shard-1")).isTrue();
		assertThat(this.calls).containsExactly("notify", "audit", "count");
	}

	@Test
	void recordDoesNotGoToTriggersThatDoNotAcceptItsEventType() {
		this.dispatcher = new RecordDispatcher("Reviews",
				List.of(endpoint("inserts", new RecordingHandler("inserts", this.calls), EventType.INSERT),
						endpoint("removes", new RecordingHandler("removes", this.calls), EventType.REMOVE)),
				RETRY_AT_ONCE);

		this.dispatcher.dispatch(record(OperationType.REMOVE), "shard-1");

		assertThat(this.calls).containsExactly("removes");
	}

	@Test
	void recordThatNoTriggerAcceptsIsDone() {
		this.dispatcher = new RecordDispatcher("Reviews",
				List.of(endpoint("inserts", new RecordingHandler("inserts", this.calls), EventType.INSERT)),
				RETRY_AT_ONCE);

		assertThat(this.dispatcher.dispatch(record(OperationType.REMOVE), "shard-1")).isTrue();
		assertThat(this.calls).isEmpty();
	}

	@Test
	void failingTriggerIsCalledAgainUntilItSucceeds() {
		FailingHandler handler = new FailingHandler(2);
		this.dispatcher = new RecordDispatcher("Reviews", List.of(endpoint("flaky", handler, EventType.values())),
				RETRY_AT_ONCE);

		assertThat(this.dispatcher.dispatch(record(OperationType.INSERT), "shard-1")).isTrue();
		assertThat(handler.calls()).isEqualTo(3);
	}

	@Test
	void recordWhoseRetriesAreUsedUpIsTriedAgainNotSkipped() {
		FailingHandler handler = new FailingHandler(5);
		this.dispatcher = new RecordDispatcher("Reviews", List.of(endpoint("flaky", handler, EventType.values())),
				new FixedBackOff(1, 2));

		assertThat(this.dispatcher.dispatch(record(OperationType.INSERT), "shard-1")).isTrue();
		assertThat(handler.calls()).isEqualTo(6);
	}

	@Test
	void laterTriggersGetARecordOnlyOnceEarlierTriggersHandledIt() {
		this.dispatcher = new RecordDispatcher("Reviews",
				List.of(endpoint("flaky", new FailingHandler(3), EventType.values()),
						endpoint("audit", new RecordingHandler("audit", this.calls), EventType.values())),
				new FixedBackOff(1, 1));

		assertThat(this.dispatcher.dispatch(record(OperationType.INSERT), "shard-1")).isTrue();
		assertThat(this.calls).containsExactly("audit");
	}

	@Test
	void stopEndsTheRetriesOfAFailingTriggerPromptlyLeavingTheRecordNotDone() throws Exception {
		FailingHandler handler = new FailingHandler(Integer.MAX_VALUE);
		this.dispatcher = new RecordDispatcher("Reviews", List.of(endpoint("broken", handler, EventType.values())),
				new FixedBackOff(10_000, FixedBackOff.UNLIMITED_ATTEMPTS));
		CompletableFuture<Boolean> done = CompletableFuture
			.supplyAsync(() -> this.dispatcher.dispatch(record(OperationType.INSERT), "shard-1"));
		assertThat(handler.firstCall.await(2, TimeUnit.SECONDS)).isTrue();

		this.dispatcher.stop();

		assertThat(done.get(2, TimeUnit.SECONDS)).isFalse();
		assertThat(handler.calls()).isEqualTo(1);
	}

	@Test
	void noTriggerIsCalledAfterStop() {
		this.dispatcher = new RecordDispatcher("Reviews",
				List.of(endpoint("audit", new RecordingHandler("audit", this.calls), EventType.values())),
				RETRY_AT_ONCE);
		this.dispatcher.stop();

		assertThat(this.dispatcher.dispatch(record(OperationType.INSERT), "shard-1")).isFalse();
		assertThat(this.calls).isEmpty();
	}

	@Test
	void isStoppedOnlyAfterStop() {
		this.dispatcher = new RecordDispatcher("Reviews", List.of(), RETRY_AT_ONCE);
		assertThat(this.dispatcher.isStopped()).isFalse();

		this.dispatcher.stop();

		assertThat(this.dispatcher.isStopped()).isTrue();
	}

	private static TriggerEndpoint endpoint(String id, Object handler, EventType... events) {
		Method method = ReflectionUtils.findMethod(handler.getClass(), "onChange", ItemChange.class);
		return new TriggerEndpoint(id, "Reviews", ViewType.NEW_AND_OLD_IMAGES, EnumSet.copyOf(List.of(events)),
				HandlerInvoker.prepare(handler, method, ViewType.NEW_AND_OLD_IMAGES));
	}

	private static Record record(OperationType operation) {
		Map<String, AttributeValue> image = Map.of("id", AttributeValue.fromS("r1"), "rating",
				AttributeValue.fromN("5"));
		return Record.builder()
			.eventID("event-1")
			.eventName(operation)
			.dynamodb(StreamRecord.builder()
				.keys(Map.of("id", AttributeValue.fromS("r1")))
				.newImage(image)
				.sequenceNumber("100")
				.build())
			.build();
	}

	static final class RecordingHandler {

		private final String name;

		private final List<String> calls;

		RecordingHandler(String name, List<String> calls) {
			this.name = name;
			this.calls = calls;
		}

		void onChange(ItemChange<Review> change) {
			this.calls.add(this.name);
		}

	}

	static final class FailingHandler {

		private final int failures;

		private final AtomicInteger calls = new AtomicInteger();

		final CountDownLatch firstCall = new CountDownLatch(1);

		FailingHandler(int failures) {
			this.failures = failures;
		}

		void onChange(ItemChange<Review> change) {
			int call = this.calls.incrementAndGet();
			this.firstCall.countDown();
			if (call <= this.failures) {
				throw new IllegalStateException("failure " + call);
			}
		}

		int calls() {
			return this.calls.get();
		}

	}

}
