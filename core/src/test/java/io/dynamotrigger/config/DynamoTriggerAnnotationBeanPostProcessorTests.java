package io.dynamotrigger.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.dynamotrigger.ErrorPolicies;
import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.Review;
import io.dynamotrigger.StreamRecords;
import io.dynamotrigger.ViewType;
import io.dynamotrigger.listener.TriggerRegistry;
import io.dynamotrigger.metrics.TriggerMetrics;
import io.dynamotrigger.pause.TriggerPause;
import io.micrometer.observation.ObservationRegistry;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;

import static io.dynamotrigger.StreamRecords.review;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class DynamoTriggerAnnotationBeanPostProcessorTests {

	private static final String ACCEPTED_FORMS = "Accepted forms: void m(T), void m(ItemChange<T>), void m(List<ItemChange<T>>)";

	private final DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();

	private final RecordingTriggerRegistry registry = new RecordingTriggerRegistry();

	private final DynamoTriggerAnnotationBeanPostProcessor processor = new DynamoTriggerAnnotationBeanPostProcessor(
			(id) -> switch (id) {
				case "configured" -> List.of("{\"eventName\": [\"INSERT\"]}", "{\"eventName\": [\"MODIFY\"]}");
				case "broken" -> List.of("{\"eventName\": \"INSERT\"}");
				default -> List.of();
			});

	@BeforeEach
	void setUp() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("test",
					Map.of("reviews.table", "Reviews", "reviews.trigger-id", "rating-aggregation", "blank", " ",
							"reviews.batch-size", "250", "reviews.batch-window", "5s",
							"reviews.filter", "{\"eventName\": [\"REMOVE\"]}")));
		this.beanFactory.addEmbeddedValueResolver(environment::resolvePlaceholders);
		this.beanFactory.registerSingleton("triggerRegistry", this.registry);
		this.processor.setBeanFactory(this.beanFactory);
	}

	@Test
	void idDefaultsToBeanNameAndMethodName() {
		discover("reviewListener", new PublicTrigger());

		assertThat(this.registry.triggerIds()).containsExactly("reviewListener.onReview");
	}

	@Test
	void findsPackagePrivateAndPrivateTriggerMethods() {
		discover("reviewListener", new NonPublicTriggers());

		assertThat(this.registry.triggerIds()).containsExactlyInAnyOrder("reviewListener.packagePrivate",
				"reviewListener.hidden");
	}

	@Test
	void findsAllTriggersOfABean() {
		discover("reviewListener", new TwoTriggers());

		assertThat(this.registry.triggerIds()).containsExactlyInAnyOrder("reviewListener.onInsert",
				"reviewListener.onRemove");
	}

	@Test
	void endpointCarriesTableViewTypeAndEventsOfTheAnnotation() {
		discover("reviewListener", new NewImageInsertTrigger());

		TriggerEndpoint endpoint = this.registry.endpoints.get(0);
		assertThat(endpoint.table()).isEqualTo("Reviews");
		assertThat(endpoint.viewType()).isEqualTo(ViewType.NEW_IMAGE);
		assertThat(endpoint.events()).containsExactly(EventType.INSERT);
	}

	@Test
	void batchSizeAndWindowOfABatchMethodAreParsedWithPlaceholdersResolved() {
		discover("reviewListener", new SizedBatchTriggers());

		assertThat(this.registry.endpoints).extracting(TriggerEndpoint::batching)
			.containsExactlyInAnyOrder(new BatchSettings(250, Duration.ofSeconds(5)),
					new BatchSettings(10_000, Duration.ofMillis(500)), new BatchSettings(1, Duration.ofMinutes(5)),
					new BatchSettings(100, Duration.ZERO));
	}

	@Test
	void explicitIdWinsOverTheDerivedId() {
		discover("reviewListener", new ExplicitIdTrigger());

		assertThat(this.registry.triggerIds()).containsExactly("aggregate-ratings");
	}

	@Test
	void placeholderInIdIsResolved() {
		discover("reviewListener", new PlaceholderTrigger());

		assertThat(this.registry.triggerIds()).containsExactly("rating-aggregation");
	}

	@Test
	void placeholderInTableIsResolved() {
		discover("reviewListener", new PlaceholderTrigger());

		assertThat(this.registry.endpoints).extracting(TriggerEndpoint::table).containsExactly("Reviews");
	}

	@Test
	void beanWithoutTriggersRegistersNothing() {
		Object bean = new NoTriggers();

		Object processed = this.processor.postProcessAfterInitialization(bean, "plainBean");
		this.processor.afterSingletonsInstantiated();

		assertThat(processed).isSameAs(bean);
		assertThat(this.registry.triggerIds()).isEmpty();
	}

	@Test
	void triggersAreRegisteredOnlyWhenAllSingletonsExist() {
		this.processor.postProcessAfterInitialization(new PublicTrigger(), "reviewListener");

		assertThat(this.registry.triggerIds()).isEmpty();
	}

	@Test
	void methodReturningAValueIsRejected() {
		assertRejected(new ReturnsValue(), ReturnsValue.class, "onReview").withMessageContaining("must return void");
	}

	@Test
	void methodWithoutParameterIsRejected() {
		assertRejected(new NoParameter(), NoParameter.class, "onReview")
			.withMessageContaining("must take one parameter, optionally followed by a TriggerContext, not []");
	}

	@Test
	void methodWithTwoParametersIsRejected() {
		assertRejected(new TwoParameters(), TwoParameters.class, "onReview")
			.withMessageContaining("optionally followed by a TriggerContext, not [Review, String]");
	}

	@Test
	void rawItemChangeIsRejected() {
		assertRejected(new RawItemChange(), RawItemChange.class, "onChange")
			.withMessageContaining("declare it as ItemChange<YourItem>");
	}

	@Test
	void wildcardItemChangeIsRejected() {
		assertRejected(new WildcardItemChange(), WildcardItemChange.class, "onChange")
			.withMessageContaining("declare it as ItemChange<YourItem>");
	}

	@Test
	void itemChangeOfAClassTheEnhancedClientCannotMapIsRejected() {
		assertRejected(new StringItemChange(), StringItemChange.class, "onChange")
			.withMessageContaining(String.class.getName());
	}

	@Test
	void itemOfAPlainClassIsRejected() {
		assertRejected(new PlainItem(), PlainItem.class, "onItem").withMessageContaining(NotAnItem.class.getName());
	}

	@Test
	void stringItemIsRejected() {
		assertRejected(new StringItem(), StringItem.class, "onItem").withMessageContaining(String.class.getName());
	}

	@Test
	void plainItemWithKeysOnlyViewTypeIsRejected() {
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.processor.postProcessAfterInitialization(new KeysOnlyItem(), "reviewListener"))
			.withMessageContaining(KeysOnlyItem.class.getName() + ".onReview")
			.withMessageContaining("KEYS_ONLY carries no image")
			.withMessageContaining("take ItemChange<Review>");
	}

	@Test
	void emptyTableIsRejected() {
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.processor.postProcessAfterInitialization(new EmptyTable(), "reviewListener"))
			.withMessageContaining(EmptyTable.class.getName() + ".onReview")
			.withMessageContaining("has an empty table");
	}

	@Test
	void backfillIsReadFromTheAnnotationAndAnythingButTrueOrFalseIsRejected() {
		discover("reviewListener", new Backfilled());

		assertThat(this.registry.endpoints).extracting(TriggerEndpoint::id, TriggerEndpoint::backfill)
			.containsExactlyInAnyOrder(tuple("reviewListener.backfilled", true), tuple("reviewListener.plain", false));
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.processor.postProcessAfterInitialization(new MisspelledBackfill(), "misspelled"))
			.withMessageContaining(MisspelledBackfill.class.getName() + ".onReview")
			.withMessageContaining("has backfill = \"yes\"; use \"true\" or \"false\"");
	}

	@Test
	void tablePlaceholderResolvingToBlankIsRejected() {
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.processor.postProcessAfterInitialization(new BlankTablePlaceholder(),
					"reviewListener"))
			.withMessageContaining(BlankTablePlaceholder.class.getName() + ".onReview")
			.withMessageContaining("has an empty table");
	}

	@Test
	void emptyEventsAreRejected() {
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.processor.postProcessAfterInitialization(new NoEvents(), "reviewListener"))
			.withMessageContaining(NoEvents.class.getName() + ".onReview")
			.withMessageContaining("lists no events")
			.withMessageContaining("list INSERT, MODIFY and/or REMOVE");
	}

	@Test
	void twoTriggersWithTheSameIdAreRejectedNamingTheId() {
		this.processor.postProcessAfterInitialization(new ExplicitIdTrigger(), "reviewListener");
		this.processor.postProcessAfterInitialization(new ExplicitIdTrigger(), "otherReviewListener");

		assertThatIllegalStateException().isThrownBy(this.processor::afterSingletonsInstantiated)
			.withMessageContaining("'aggregate-ratings'")
			.withMessageContaining(ExplicitIdTrigger.class.getName() + ".onReview and ")
			.withMessageContaining("give each a unique id");
	}

	@Test
	void endpointAcceptsOnlyRecordsThatMatchItsFilterPattern() {
		discover("reviewListener", new FilteredTrigger());

		TriggerEndpoint endpoint = this.registry.endpoints.get(0);
		assertThat(endpoint.accepts(record(OperationType.INSERT, null, review("r1", 5, "great")))).isTrue();
		assertThat(endpoint.accepts(record(OperationType.INSERT, null, review("r1", 2, "meh")))).isFalse();
	}

	@Test
	void filterPatternsAreOred() {
		discover("reviewListener", new TwoPatternTrigger());

		TriggerEndpoint endpoint = this.registry.endpoints.get(0);
		assertThat(endpoint.accepts(record(OperationType.INSERT, null, review("r1", 1, "a")))).isTrue();
		assertThat(endpoint.accepts(record(OperationType.REMOVE, review("r1", 3, "a"), null))).isTrue();
		assertThat(endpoint.accepts(record(OperationType.INSERT, null, review("r1", 3, "a")))).isFalse();
	}

	@Test
	void filterPlaceholderIsResolved() {
		discover("reviewListener", new PlaceholderFilterTrigger());

		assertThat(this.registry.endpoints.get(0).accepts(record(OperationType.REMOVE, review("r1", 5, "a"), null)))
			.isTrue();
		assertThat(this.registry.endpoints.get(0).accepts(record(OperationType.INSERT, null, review("r1", 5, "a"))))
			.isFalse();
	}

	@Test
	void endpointAcceptsOnlyModifiesThatChangeTheListedAttributes() {
		discover("reviewListener", new ChangedRatingTrigger());

		TriggerEndpoint endpoint = this.registry.endpoints.get(0);
		assertThat(endpoint.accepts(record(OperationType.MODIFY, review("r1", 5, "a"), review("r1", 4, "a")))).isTrue();
		assertThat(endpoint.accepts(record(OperationType.MODIFY, review("r1", 5, "a"), review("r1", 5, "b"))))
			.isFalse();
	}

	@Test
	void eventsAreCheckedBeforeTheContentFilter() {
		discover("reviewListener", new ChangedRatingTrigger());

		assertThat(this.registry.endpoints.get(0).accepts(record(OperationType.REMOVE, review("r1", 5, "a"), null)))
			.isFalse();
	}

	@Test
	void filterPatternsOfTheTriggersPropertiesReplaceThoseOfTheAnnotation() {
		discover("reviewListener", new ConfiguredFilterTrigger());

		TriggerEndpoint endpoint = this.registry.endpoints.get(0);
		assertThat(endpoint.accepts(record(OperationType.INSERT, null, review("r1", 5, "a")))).isTrue();
		assertThat(endpoint.accepts(record(OperationType.MODIFY, review("r1", 5, "a"), review("r1", 4, "a")))).isTrue();
		assertThat(endpoint.accepts(record(OperationType.REMOVE, review("r1", 5, "a"), null))).isFalse();
	}

	@Test
	void invalidFilterPropertyIsRejectedNamingTheProperty() {
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.processor.postProcessAfterInitialization(new BrokenConfiguredFilterTrigger(),
					"reviewListener"))
			.withMessageContaining("has an invalid dynamo-trigger.triggers.broken.filter: at eventName: expected an array");
	}

	@Test
	void invalidFilterIsRejectedNamingTheMethodAndThePosition() {
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.processor.postProcessAfterInitialization(new InvalidFilter(), "reviewListener"))
			.withMessageContaining(InvalidFilter.class.getName() + ".onReview has an invalid filter")
			.withMessageContaining("at dynamodb.NewImage.rating.N[0].greater: unknown operator");
	}

	@Test
	void filterThatIsNoJsonIsRejectedWithLineAndColumn() {
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.processor.postProcessAfterInitialization(new BrokenJsonFilter(), "reviewListener"))
			.withMessageContaining("filter pattern 2 of 2: not valid JSON at line 1, column ");
	}

	@Test
	void moreThanFiveFilterPatternsAreRejected() {
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.processor.postProcessAfterInitialization(new SixPatterns(), "reviewListener"))
			.withMessageContaining("has 6 filter patterns; at most 5");
	}

	@Test
	void filterOnAnImageTheViewTypeNeverCarriesIsRejected() {
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.processor.postProcessAfterInitialization(new KeysOnlyImageFilter(), "reviewListener"))
			.withMessageContaining("on dynamodb.NewImage, which the view type KEYS_ONLY never carries");
	}

	@Test
	void changedWithAViewTypeWithoutOldImageIsRejected() {
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.processor.postProcessAfterInitialization(new NewImageChanged(), "reviewListener"))
			.withMessageContaining(NewImageChanged.class.getName() + ".onReview sets changed = [rating]")
			.withMessageContaining("Use viewType = NEW_AND_OLD_IMAGES");
	}

	@Test
	void changedWithNewImageIsAcceptedForInsertsOnly() {
		discover("reviewListener", new NewImageInsertChanged());

		assertThat(this.registry.triggerIds()).containsExactly("reviewListener.onReview");
	}

	@Test
	void changedWithABlankNameIsRejected() {
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.processor.postProcessAfterInitialization(new BlankChanged(), "reviewListener"))
			.withMessageContaining("lists a blank attribute in changed");
	}

	@Test
	void itemWithOldImageForAllEventsIsRejected() {
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.processor.postProcessAfterInitialization(new OldImageItem(), "reviewListener"))
			.withMessageContaining(OldImageItem.class.getName() + ".onReview")
			.withMessageContaining("Set events = REMOVE");
	}

	private static Record record(OperationType operation, Map<String, AttributeValue> oldImage,
			Map<String, AttributeValue> newImage) {
		return StreamRecords.record(operation, "1", oldImage, newImage);
	}

	private void discover(String beanName, Object bean) {
		this.processor.postProcessAfterInitialization(bean, beanName);
		this.processor.afterSingletonsInstantiated();
	}

	private ThrowableAssertAlternative<BeanInitializationException> assertRejected(Object bean, Class<?> beanClass,
			String methodName) {
		return assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.processor.postProcessAfterInitialization(bean, "reviewListener"))
			.withMessageContaining(beanClass.getName() + "." + methodName)
			.withMessageContaining(ACCEPTED_FORMS);
	}

	/**
	 * The real registry, also keeping the endpoints it was given so that tests can read their tables.
	 */
	static final class SizedBatchTriggers {

		@DynamoTrigger(table = "Reviews", batchSize = "${reviews.batch-size}", batchWindow = "${reviews.batch-window}")
		void placeholders(List<ItemChange<Review>> batch) {
		}

		@DynamoTrigger(table = "Reviews", batchSize = "10000", batchWindow = "500ms")
		void largest(List<ItemChange<Review>> batch) {
		}

		@DynamoTrigger(table = "Reviews", batchSize = "1", batchWindow = "PT5M")
		void smallestLongest(List<ItemChange<Review>> batch) {
		}

		@DynamoTrigger(table = "Reviews")
		void defaults(List<ItemChange<Review>> batch) {
		}

	}

	static final class RecordingTriggerRegistry extends TriggerRegistry {

		final List<TriggerEndpoint> endpoints = new ArrayList<>();

		RecordingTriggerRegistry() {
			super(null, new ConsumerSettings("review-service", KclApplicationMode.PER_TABLE, StartingPosition.TRIM_HORIZON,
					new PollingSettings(PollingMode.ADAPTIVE, Duration.ofMillis(250), Duration.ofMillis(250)), 1,
					Duration.ofSeconds(10), Duration.ofMinutes(2), false, Duration.ofSeconds(10), Duration.ofMinutes(5),
					Map.of(), new TriggerSettings(true, true, ErrorPolicies.standard(), null, null), Map.of(),
					TriggerPause.DEFAULT_MAX_HELD_RECORDS, null, 8),
					(deadLetter) -> {
					}, TriggerMetrics.NONE, ObservationRegistry.NOOP);
		}

		@Override
		public synchronized void register(TriggerEndpoint endpoint) {
			super.register(endpoint);
			this.endpoints.add(endpoint);
		}

	}

	static class PublicTrigger {

		@DynamoTrigger(table = "Reviews")
		public void onReview(Review review) {
		}

	}

	static class NonPublicTriggers {

		@DynamoTrigger(table = "Reviews")
		void packagePrivate(Review review) {
		}

		@DynamoTrigger(table = "Reviews")
		private void hidden(ItemChange<Review> change) {
		}

	}

	static class TwoTriggers {

		@DynamoTrigger(table = "Reviews", events = EventType.INSERT)
		void onInsert(Review review) {
		}

		@DynamoTrigger(table = "Reviews", events = EventType.REMOVE)
		void onRemove(Review review) {
		}

	}

	static class NewImageInsertTrigger {

		@DynamoTrigger(table = "Reviews", viewType = ViewType.NEW_IMAGE, events = EventType.INSERT)
		void onReview(Review review) {
		}

	}

	static class ExplicitIdTrigger {

		@DynamoTrigger(table = "Reviews", id = "aggregate-ratings")
		void onReview(Review review) {
		}

	}

	static class PlaceholderTrigger {

		@DynamoTrigger(table = "${reviews.table}", id = "${reviews.trigger-id}")
		void onReview(Review review) {
		}

	}

	static class NoTriggers {

		void onReview(Review review) {
		}

	}

	static class ReturnsValue {

		@DynamoTrigger(table = "Reviews")
		String onReview(Review review) {
			return review.getId();
		}

	}

	static class NoParameter {

		@DynamoTrigger(table = "Reviews")
		void onReview() {
		}

	}

	static class TwoParameters {

		@DynamoTrigger(table = "Reviews")
		void onReview(Review review, String table) {
		}

	}

	@SuppressWarnings("rawtypes")
	static class RawItemChange {

		@DynamoTrigger(table = "Reviews")
		void onChange(ItemChange change) {
		}

	}

	static class WildcardItemChange {

		@DynamoTrigger(table = "Reviews")
		void onChange(ItemChange<?> change) {
		}

	}

	static class StringItemChange {

		@DynamoTrigger(table = "Reviews")
		void onChange(ItemChange<String> change) {
		}

	}

	static class NotAnItem {

		private String id;

		public String getId() {
			return this.id;
		}

		public void setId(String id) {
			this.id = id;
		}

	}

	static class PlainItem {

		@DynamoTrigger(table = "Reviews")
		void onItem(NotAnItem item) {
		}

	}

	static class StringItem {

		@DynamoTrigger(table = "Reviews")
		void onItem(String item) {
		}

	}

	static class KeysOnlyItem {

		@DynamoTrigger(table = "Reviews", viewType = ViewType.KEYS_ONLY)
		void onReview(Review review) {
		}

	}

	static class FilteredTrigger {

		@DynamoTrigger(table = "Reviews",
				filter = "{\"dynamodb\": {\"NewImage\": {\"rating\": {\"N\": [{\"numeric\": [\">=\", 4]}]}}}}")
		void onReview(ItemChange<Review> change) {
		}

	}

	static class TwoPatternTrigger {

		@DynamoTrigger(table = "Reviews", filter = { "{\"eventName\": [\"REMOVE\"]}",
				"{\"dynamodb\": {\"NewImage\": {\"rating\": {\"N\": [\"1\"]}}}}" })
		void onReview(ItemChange<Review> change) {
		}

	}

	static class PlaceholderFilterTrigger {

		@DynamoTrigger(table = "Reviews", filter = "${reviews.filter}")
		void onReview(ItemChange<Review> change) {
		}

	}

	static class ChangedRatingTrigger {

		@DynamoTrigger(table = "Reviews", changed = "rating", events = { EventType.INSERT, EventType.MODIFY })
		void onReview(ItemChange<Review> change) {
		}

	}

	static class ConfiguredFilterTrigger {

		@DynamoTrigger(table = "Reviews", id = "configured", filter = "{\"eventName\": [\"REMOVE\"]}")
		void onReview(ItemChange<Review> change) {
		}

	}

	static class BrokenConfiguredFilterTrigger {

		@DynamoTrigger(table = "Reviews", id = "broken")
		void onReview(ItemChange<Review> change) {
		}

	}

	static class InvalidFilter {

		@DynamoTrigger(table = "Reviews",
				filter = "{\"dynamodb\": {\"NewImage\": {\"rating\": {\"N\": [{\"greater\": 3}]}}}}")
		void onReview(ItemChange<Review> change) {
		}

	}

	static class BrokenJsonFilter {

		@DynamoTrigger(table = "Reviews", filter = { "{\"eventName\": [\"INSERT\"]}", "{\"eventName\": [" })
		void onReview(ItemChange<Review> change) {
		}

	}

	static class SixPatterns {

		@DynamoTrigger(table = "Reviews", filter = { "{\"eventID\": [\"1\"]}", "{\"eventID\": [\"2\"]}",
				"{\"eventID\": [\"3\"]}", "{\"eventID\": [\"4\"]}", "{\"eventID\": [\"5\"]}",
				"{\"eventID\": [\"6\"]}" })
		void onReview(ItemChange<Review> change) {
		}

	}

	static class KeysOnlyImageFilter {

		@DynamoTrigger(table = "Reviews", viewType = ViewType.KEYS_ONLY,
				filter = "{\"dynamodb\": {\"NewImage\": {\"rating\": {\"N\": [5]}}}}")
		void onReview(ItemChange<Review> change) {
		}

	}

	static class NewImageChanged {

		@DynamoTrigger(table = "Reviews", viewType = ViewType.NEW_IMAGE, changed = "rating")
		void onReview(ItemChange<Review> change) {
		}

	}

	static class NewImageInsertChanged {

		@DynamoTrigger(table = "Reviews", viewType = ViewType.NEW_IMAGE, changed = "rating", events = EventType.INSERT)
		void onReview(ItemChange<Review> change) {
		}

	}

	static class BlankChanged {

		@DynamoTrigger(table = "Reviews", changed = { "rating", " " })
		void onReview(ItemChange<Review> change) {
		}

	}

	static class OldImageItem {

		@DynamoTrigger(table = "Reviews", viewType = ViewType.OLD_IMAGE)
		void onReview(Review review) {
		}

	}

	static class Backfilled {

		@DynamoTrigger(table = "Reviews", backfill = "true")
		void backfilled(Review review) {
		}

		@DynamoTrigger(table = "Reviews")
		void plain(Review review) {
		}

	}

	static class MisspelledBackfill {

		@DynamoTrigger(table = "Reviews", backfill = "yes")
		void onReview(Review review) {
		}

	}

	static class EmptyTable {

		@DynamoTrigger(table = "")
		void onReview(Review review) {
		}

	}

	static class BlankTablePlaceholder {

		@DynamoTrigger(table = "${blank}")
		void onReview(Review review) {
		}

	}

	static class NoEvents {

		@DynamoTrigger(table = "Reviews", events = {})
		void onReview(Review review) {
		}

	}

}
