package io.dynamotrigger.lambda;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.ViewType;
import io.dynamotrigger.WindowContext;
import io.dynamotrigger.config.BatchSettings;
import io.dynamotrigger.config.TriggerEndpoint;
import io.dynamotrigger.config.TriggerEndpointRegistrar;
import io.dynamotrigger.idempotency.IdempotencyDeclaration;
import io.dynamotrigger.lambda.StreamEventRouter.RoutingResult;
import io.dynamotrigger.listener.HandlerInvoker;
import io.dynamotrigger.mapping.ItemMappers;
import io.dynamotrigger.metrics.TriggerMetrics;
import io.dynamotrigger.window.TumblingWindows;
import io.dynamotrigger.window.WindowFunction;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.util.ReflectionUtils;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link StreamEventRouter} on its own: a registrar of triggers that is handed records.
 */
class StreamEventRouterTests {

	private final StreamEventRouter router = new StreamEventRouter((id) -> !id.equals("disabled"), Set.of(),
			TriggerMetrics.NONE, ObservationRegistry.NOOP);

	@Test
	void triggersWithTheSameIdAreRefusedNamingBothMethods() {
		TriggerEndpointRegistrar registrar = this.router;
		registrar.register(endpoint("audit", new RawTrigger()));

		assertThatIllegalStateException().isThrownBy(() -> registrar.register(endpoint("audit", new RawTrigger())))
			.withMessageContaining("have the same id 'audit'");
	}

	@Test
	void aTriggerThatAsksForABackfillIsRefusedSayingWhy() {
		TriggerEndpoint plain = endpoint("audit", new RawTrigger());
		TriggerEndpoint backfilled = new TriggerEndpoint(plain.id(), plain.table(), plain.viewType(), plain.events(),
				plain.contentFilter(), plain.batching(), plain.invoker(), true);

		assertThatIllegalStateException().isThrownBy(() -> this.router.register(backfilled))
			.withMessageContaining("Trigger 'audit' asks for a backfill")
			.withMessageContaining("which a Lambda function cannot run");
	}

	@Test
	void routingStopsAtTheFirstFailedRecordAndNamesIt() {
		RawTrigger trigger = new RawTrigger();
		this.router.register(endpoint("audit", trigger));

		RoutingResult result = this.router.route("Reviews", List.of(record("1"), record("2"), record("3")));

		assertThat(result.isDone()).isFalse();
		assertThat(result.failedSequenceNumber()).isEqualTo("2");
		assertThat(trigger.calls).containsExactly("1", "2");
	}

	@Test
	void disabledTriggerIsNeverCalled() {
		RawTrigger enabled = new RawTrigger();
		RawTrigger disabled = new RawTrigger();
		this.router.register(endpoint("audit", enabled));
		this.router.register(endpoint("disabled", disabled));

		RoutingResult result = this.router.route("Reviews", List.of(record("1")));

		assertThat(result.isDone()).isTrue();
		assertThat(enabled.calls).containsExactly("1");
		assertThat(disabled.calls).isEmpty();
	}

	@Test
	void anIdempotentTriggerFailsTheStartForRecordsHandedInHaveNoIdempotencyTable() {
		TriggerEndpoint plain = endpoint("audit", new RawTrigger());
		this.router.register(new TriggerEndpoint(plain.id(), plain.table(), plain.viewType(), plain.events(),
				plain.contentFilter(), plain.batching(), plain.invoker(), new IdempotencyDeclaration(true, null)));

		assertThatIllegalStateException().isThrownBy(this.router::start)
			.withMessageContaining("Trigger 'audit' is idempotent, but there is no idempotency table here");
	}

	@Test
	void aWindowTriggerIsRefusedSayingToUseTheMappingsTumblingWindow() throws Exception {
		WindowFunction window = WindowFunction.prepare(new WindowTrigger(),
				WindowTrigger.class.getDeclaredMethod("onWindow", List.class, Count.class, WindowContext.class),
				"WindowTrigger.onWindow", new TumblingWindows(Duration.ofMinutes(1)), ItemMappers.defaults());
		TriggerEndpoint endpoint = new TriggerEndpoint("perMinute", "Reviews", ViewType.NEW_AND_OLD_IMAGES,
				EnumSet.allOf(EventType.class), (record) -> true, BatchSettings.DEFAULTS, null, window);

		assertThatIllegalStateException().isThrownBy(() -> this.router.register(endpoint))
			.withMessage("@DynamoTrigger method WindowTrigger.onWindow sets window, which runs in a stream consumer,"
					+ " not in AWS Lambda; in Lambda set TumblingWindowInSeconds on the event source mapping and"
					+ " handle DynamodbTimeWindowEvent in a plain handler, or remove window.");
	}

	record Count(int records) {
	}

	static final class WindowTrigger {

		Count onWindow(List<ItemChange<Map<String, AttributeValue>>> changes, Count state, WindowContext context) {
			return new Count(((state != null) ? state.records() : 0) + changes.size());
		}

	}

	private static TriggerEndpoint endpoint(String id, RawTrigger trigger) {
		Set<EventType> events = EnumSet.allOf(EventType.class);
		HandlerInvoker invoker = HandlerInvoker.prepare(trigger,
				ReflectionUtils.findMethod(RawTrigger.class, "onRecord", Record.class), ViewType.NEW_AND_OLD_IMAGES,
				events);
		return new TriggerEndpoint(id, "Reviews", ViewType.NEW_AND_OLD_IMAGES, events, invoker);
	}

	private static Record record(String sequenceNumber) {
		return Record.builder()
			.eventID("event-" + sequenceNumber)
			.eventName(OperationType.INSERT)
			.dynamodb(StreamRecord.builder()
				.keys(Map.of("id", AttributeValue.fromS("r" + sequenceNumber)))
				.sequenceNumber(sequenceNumber)
				.build())
			.build();
	}

	/**
	 * Takes the raw record and fails on sequence number 2.
	 */
	static class RawTrigger {

		final List<String> calls = new CopyOnWriteArrayList<>();

		void onRecord(Record record) {
			this.calls.add(record.dynamodb().sequenceNumber());
			if (record.dynamodb().sequenceNumber().equals("2")) {
				throw new IllegalStateException("fails on 2");
			}
		}

	}

}
