package io.dynamotrigger.listener;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.Review;
import io.dynamotrigger.TriggerContext;
import io.dynamotrigger.ViewType;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;

import static io.dynamotrigger.StreamRecords.record;
import static io.dynamotrigger.StreamRecords.review;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class HandlerInvokerTests {

	private static final Set<EventType> ALL = EnumSet.allOf(EventType.class);

	private static final Record MODIFY = record(OperationType.MODIFY, "100", review("r1", 5, "old"),
			review("r1", 4, "new"));

	private static final Record REMOVE = record(OperationType.REMOVE, "101", review("r1", 4, "new"), null);

	private static final TriggerContext CONTEXT = new TriggerContext("audit", "Reviews", "shard-1", "100", 2,
			MODIFY.dynamodb().approximateCreationDateTime());

	private final Handlers handlers = new Handlers();

	@Test
	void itemParameterReceivesTheNewImage() throws Throwable {
		invoker("item").invoke(List.of(MODIFY), CONTEXT);

		assertThat(this.handlers.received).singleElement()
			.isInstanceOfSatisfying(Review.class, (review) -> assertThat(review.getText()).isEqualTo("new"));
	}

	@Test
	void itemParameterOfARemoveReceivesTheOldImage() throws Throwable {
		invoker("item").invoke(List.of(REMOVE), CONTEXT);

		assertThat(this.handlers.received).singleElement()
			.isInstanceOfSatisfying(Review.class, (review) -> assertThat(review.getRating()).isEqualTo(4));
	}

	@Test
	void itemChangeParameterReceivesBothImagesMapped() throws Throwable {
		invoker("change").invoke(List.of(MODIFY), CONTEXT);

		ItemChange<?> change = (ItemChange<?>) this.handlers.received.get(0);
		assertThat(((Review) change.oldImage()).getRating()).isEqualTo(5);
		assertThat(((Review) change.newImage()).getRating()).isEqualTo(4);
		assertThat(change.streamRecord()).isSameAs(MODIFY);
	}

	@Test
	void untypedItemChangeReceivesTheAttributeMaps() throws Throwable {
		invoker("untyped").invoke(List.of(REMOVE), CONTEXT);

		ItemChange<?> change = (ItemChange<?>) this.handlers.received.get(0);
		assertThat(change.oldImage()).isEqualTo(review("r1", 4, "new"));
		assertThat(change.newImage()).isNull();
	}

	@Test
	void recordParameterReceivesTheStreamRecordAsRead() throws Throwable {
		invoker("raw").invoke(List.of(MODIFY), CONTEXT);

		assertThat(this.handlers.received).singleElement().isSameAs(MODIFY);
	}

	@Test
	void contextFollowingTheRecordParameterIsPassed() throws Throwable {
		invoker("changeWithContext").invoke(List.of(MODIFY), CONTEXT);

		assertThat(this.handlers.received).hasSize(2).last().isSameAs(CONTEXT);
	}

	@Test
	void batchParameterReceivesAllRecordsInOrderInOneCall() throws Throwable {
		HandlerInvoker invoker = invoker("batch");

		invoker.invoke(List.of(MODIFY, REMOVE), CONTEXT);

		assertThat(invoker.isBatch()).isTrue();
		assertThat(this.handlers.received).singleElement().asInstanceOf(InstanceOfAssertFactories.list(ItemChange.class))
			.extracting(ItemChange::eventType)
			.containsExactly(EventType.MODIFY, EventType.REMOVE);
	}

	@Test
	void untypedBatchWithContextIsAccepted() throws Throwable {
		invoker("untypedBatchWithContext").invoke(List.of(MODIFY), CONTEXT);

		assertThat(this.handlers.received).hasSize(2).last().isSameAs(CONTEXT);
	}

	@Test
	void singleRecordMethodsAreNoBatchMethods() {
		assertThat(invoker("change").isBatch()).isFalse();
		assertThat(invoker("raw").isBatch()).isFalse();
	}

	@Test
	void mapOfOtherTypesIsRejected() {
		assertThatIllegalStateException().isThrownBy(() -> invoker("stringMap"))
			.withMessageContaining("unmapped images are ItemChange<Map<String, AttributeValue>>")
			.withMessageContaining(HandlerInvoker.ACCEPTED_FORMS);
	}

	@Test
	void listOfItemsIsRejected() {
		assertThatIllegalStateException().isThrownBy(() -> invoker("itemList"))
			.withMessageContaining("a batch method takes List<ItemChange<YourItem>>");
	}

	@Test
	void contextFirstIsRejected() {
		assertThatIllegalStateException().isThrownBy(() -> invoker("contextOnly"))
			.withMessageContaining("takes a TriggerContext first");
	}

	@Test
	void secondParameterOtherThanContextIsRejected() {
		assertThatIllegalStateException().isThrownBy(() -> invoker("twoChanges"))
			.withMessageContaining(Handlers.class.getName() + ".twoChanges")
			.withMessageContaining("optionally followed by a TriggerContext, not [ItemChange, Review]");
	}

	@Test
	void itemWithOldImageViewTypeIsAcceptedForRemovesOnly() {
		assertThat(invoker("item", ViewType.OLD_IMAGE, EnumSet.of(EventType.REMOVE))).isNotNull();
		assertThatIllegalStateException().isThrownBy(() -> invoker("item", ViewType.OLD_IMAGE, ALL))
			.withMessageContaining("OLD_IMAGE carries no new image")
			.withMessageContaining("Set events = REMOVE")
			.withMessageContaining("Take ItemChange<Review>");
	}

	@Test
	void itemWithNewImageViewTypeIsRejectedForRemoves() {
		assertThat(invoker("item", ViewType.NEW_IMAGE, EnumSet.of(EventType.INSERT, EventType.MODIFY))).isNotNull();
		assertThatIllegalStateException().isThrownBy(() -> invoker("item", ViewType.NEW_IMAGE, ALL))
			.withMessageContaining("NEW_IMAGE carries no old image")
			.withMessageContaining("Leave REMOVE out of events");
	}

	@Test
	void itemChangeFitsEveryViewType() {
		for (ViewType viewType : ViewType.values()) {
			assertThat(invoker("change", viewType, ALL)).isNotNull();
			assertThat(invoker("batch", viewType, ALL)).isNotNull();
		}
	}

	private HandlerInvoker invoker(String name) {
		return invoker(name, ViewType.NEW_AND_OLD_IMAGES, ALL);
	}

	private HandlerInvoker invoker(String name, ViewType viewType, Set<EventType> events) {
		Method method = List.of(Handlers.class.getDeclaredMethods())
			.stream()
			.filter((candidate) -> candidate.getName().equals(name))
			.findFirst()
			.orElseThrow();
		return HandlerInvoker.prepare(this.handlers, method, viewType, events);
	}

	static final class Handlers {

		final List<Object> received = new ArrayList<>();

		void item(Review review) {
			this.received.add(review);
		}

		void change(ItemChange<Review> change) {
			this.received.add(change);
		}

		void untyped(ItemChange<Map<String, AttributeValue>> change) {
			this.received.add(change);
		}

		void raw(Record record) {
			this.received.add(record);
		}

		void changeWithContext(ItemChange<Review> change, TriggerContext context) {
			this.received.add(change);
			this.received.add(context);
		}

		void batch(List<ItemChange<Review>> changes) {
			this.received.add(changes);
		}

		void untypedBatchWithContext(List<ItemChange<Map<String, AttributeValue>>> changes, TriggerContext context) {
			this.received.add(changes);
			this.received.add(context);
		}

		void stringMap(ItemChange<Map<String, String>> change) {
		}

		void itemList(List<Review> reviews) {
		}

		void contextOnly(TriggerContext context) {
		}

		void twoChanges(ItemChange<Review> change, Review review) {
		}

	}

}
