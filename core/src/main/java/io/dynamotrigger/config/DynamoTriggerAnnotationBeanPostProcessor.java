package io.dynamotrigger.config;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.EventType;
import io.dynamotrigger.ViewType;
import io.dynamotrigger.filter.ChangedAttributesFilter;
import io.dynamotrigger.filter.EventPattern;
import io.dynamotrigger.idempotency.IdempotencyDeclaration;
import io.dynamotrigger.listener.HandlerInvoker;
import io.dynamotrigger.mapping.ItemMappers;
import io.dynamotrigger.window.TumblingWindows;
import io.dynamotrigger.window.WindowFunction;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.format.datetime.standard.DurationFormatterUtils;
import org.springframework.util.StringUtils;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Finds {@code @DynamoTrigger} methods on beans, once per bean class, checks their signatures, prepares
 * their invokers and filters and hands them to the application's {@link TriggerEndpointRegistrar} when all
 * singletons exist.
 */
public class DynamoTriggerAnnotationBeanPostProcessor
		implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

	private static final int MAX_PATTERNS = 5;

	private static final String FILTER_PROPERTY = "dynamo-trigger.triggers.%s.filter";

	private final Set<Class<?>> classesWithoutTriggers = ConcurrentHashMap.newKeySet();

	private final List<TriggerEndpoint> endpoints = new ArrayList<>();

	private final Function<String, List<String>> configuredFilters;

	private ConfigurableBeanFactory beanFactory;

	/** The application's own {@link TableSchema} beans by item class, looked up at the first trigger. */
	private ItemMappers mappers;

	/**
	 * Creates a post-processor that takes the filter patterns of the annotations.
	 */
	public DynamoTriggerAnnotationBeanPostProcessor() {
		this((id) -> List.of());
	}

	/**
	 * Creates a post-processor that takes the configured filter patterns of a trigger instead of its
	 * annotation's, when there are any.
	 * @param configuredFilters the patterns of {@code dynamo-trigger.triggers.<id>.filter} by trigger id, empty
	 * for the annotation's; asked once per trigger, when the trigger's bean has been initialized
	 */
	public DynamoTriggerAnnotationBeanPostProcessor(Function<String, List<String>> configuredFilters) {
		this.configuredFilters = configuredFilters;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = (ConfigurableBeanFactory) beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.classesWithoutTriggers.contains(targetClass)) {
			return bean;
		}
		Map<Method, DynamoTrigger> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<DynamoTrigger>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, DynamoTrigger.class));
		if (methods.isEmpty()) {
			this.classesWithoutTriggers.add(targetClass);
			return bean;
		}
		methods.forEach((method, annotation) -> {
			try {
				TriggerEndpoint endpoint = endpoint(bean, beanName, method, annotation);
				synchronized (this.endpoints) {
					this.endpoints.add(endpoint);
				}
			}
			catch (IllegalStateException ex) {
				throw new BeanInitializationException(ex.getMessage(), ex);
			}
		});
		return bean;
	}

	private TriggerEndpoint endpoint(Object bean, String beanName, Method method, DynamoTrigger annotation) {
		String id = StringUtils.hasText(annotation.id()) ? resolve(annotation.id())
				: beanName + "." + method.getName();
		String table = resolve(annotation.table());
		if (!StringUtils.hasText(table)) {
			throw new IllegalStateException("@DynamoTrigger method " + HandlerInvoker.methodName(method)
					+ " has an empty table; set table = \"YourTable\".");
		}
		if (annotation.events().length == 0) {
			throw new IllegalStateException("@DynamoTrigger method " + HandlerInvoker.methodName(method)
					+ " lists no events; leave events out for all, or list INSERT, MODIFY and/or REMOVE.");
		}
		Set<EventType> events = EnumSet.copyOf(List.of(annotation.events()));
		Predicate<Record> contentFilter = contentFilter(method, annotation, events, filterSources(id, annotation));
		Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		String window = resolve(annotation.window());
		if (!window.isEmpty()) {
			return windowEndpoint(id, table, events, contentFilter, bean, method, invocable, annotation, window);
		}
		HandlerInvoker invoker = HandlerInvoker.prepare(bean, invocable, annotation.viewType(), events, mappers());
		BatchSettings batching = batching(HandlerInvoker.methodName(method), annotation, invoker.isBatch());
		return new TriggerEndpoint(id, table, annotation.viewType(), events, contentFilter, batching, invoker,
				null, backfill(HandlerInvoker.methodName(method), resolve(annotation.backfill())),
				idempotency(HandlerInvoker.methodName(method), annotation));
	}

	private TriggerEndpoint windowEndpoint(String id, String table, Set<EventType> events,
			Predicate<Record> contentFilter, Object bean, Method method, Method invocable, DynamoTrigger annotation,
			String window) {
		String name = HandlerInvoker.methodName(method);
		if (!resolve(annotation.batchSize()).isEmpty() || !resolve(annotation.batchWindow()).isEmpty()) {
			throw new IllegalStateException("@DynamoTrigger method " + name + " sets window and "
					+ (resolve(annotation.batchSize()).isEmpty() ? "batchWindow" : "batchSize") + "; a window method"
					+ " is called with each read's records of a window: remove batchSize and batchWindow.");
		}
		TumblingWindows windows = tumblingWindows(name, window);
		WindowFunction function = WindowFunction.prepare(bean, invocable, name, windows, mappers());
		return new TriggerEndpoint(id, table, annotation.viewType(), events, contentFilter, BatchSettings.DEFAULTS,
				null, function, backfill(name, resolve(annotation.backfill())), idempotency(name, annotation));
	}

	private static TumblingWindows tumblingWindows(String name, String value) {
		try {
			Duration length = DurationFormatterUtils.detectAndParse(value);
			if (TumblingWindows.isAllowed(length)) {
				return new TumblingWindows(length);
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below
		}
		throw new IllegalStateException("@DynamoTrigger method " + name + " has window = \"" + value + "\"; set "
				+ TumblingWindows.ALLOWED + ".");
	}

	private IdempotencyDeclaration idempotency(String name, DynamoTrigger annotation) {
		String idempotent = resolve(annotation.idempotent()).trim();
		String keyBean = resolve(annotation.idempotencyKey()).trim();
		if (!idempotent.isEmpty() && !idempotent.equalsIgnoreCase("true") && !idempotent.equalsIgnoreCase("false")) {
			throw new IllegalStateException("@DynamoTrigger method " + name + " has idempotent = \"" + idempotent
					+ "\"; set \"true\" or \"false\".");
		}
		return new IdempotencyDeclaration(idempotent.isEmpty() ? null : Boolean.valueOf(idempotent),
				keyBean.isEmpty() ? null : keyBean);
	}

	private synchronized ItemMappers mappers() {
		if (this.mappers == null) {
			this.mappers = (this.beanFactory != null)
					? ItemMappers.of(this.beanFactory.getBeanProvider(TableSchema.class).stream()
						.map((schema) -> (TableSchema<?>) schema)
						.toList())
					: ItemMappers.defaults();
		}
		return this.mappers;
	}

	private BatchSettings batching(String name, DynamoTrigger annotation, boolean batch) {
		String size = resolve(annotation.batchSize());
		String window = resolve(annotation.batchWindow());
		if (!batch && (!size.isEmpty() || !window.isEmpty())) {
			throw new IllegalStateException("@DynamoTrigger method " + name + " sets "
					+ (size.isEmpty() ? "batchWindow" : "batchSize") + ", but takes one record per call; remove"
					+ " batchSize and batchWindow, or take a List<ItemChange<T>>.");
		}
		return BatchSettings.DEFAULTS.with(size.isEmpty() ? null : batchSize(name, size),
				window.isEmpty() ? null : batchWindow(name, window));
	}

	private static int batchSize(String name, String value) {
		try {
			int size = Integer.parseInt(value);
			if (BatchSettings.isAllowedSize(size)) {
				return size;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new IllegalStateException("@DynamoTrigger method " + name + " has batchSize = \"" + value
				+ "\"; set " + BatchSettings.SIZE_RANGE + ".");
	}

	private static boolean backfill(String name, String value) {
		if (value.isEmpty() || value.equals("false")) {
			return false;
		}
		if (value.equals("true")) {
			return true;
		}
		throw new IllegalStateException("@DynamoTrigger method " + name + " has backfill = \"" + value
				+ "\"; use \"true\" or \"false\".");
	}

	private static Duration batchWindow(String name, String value) {
		try {
			Duration window = DurationFormatterUtils.detectAndParse(value);
			if (BatchSettings.isAllowedWindow(window)) {
				return window;
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below
		}
		throw new IllegalStateException("@DynamoTrigger method " + name + " has batchWindow = \"" + value
				+ "\"; set " + BatchSettings.WINDOW_RANGE + ".");
	}

	/**
	 * The trigger's filter patterns: those configured for it if any, else the annotation's.
	 */
	private FilterSources filterSources(String id, DynamoTrigger annotation) {
		List<String> configured = this.configuredFilters.apply(id);
		return configured.isEmpty() ? new FilterSources("filter", annotation.filter())
				: new FilterSources(FILTER_PROPERTY.formatted(id), configured.toArray(String[]::new));
	}

	private Predicate<Record> contentFilter(Method method, DynamoTrigger annotation, Set<EventType> events,
			FilterSources filterSources) {
		String name = HandlerInvoker.methodName(method);
		Predicate<Record> changed = changedFilter(name, annotation, events);
		Predicate<Record> patterns = patternFilter(name, filterSources, annotation.viewType());
		if (changed != null && patterns != null) {
			return changed.and(patterns);
		}
		return (changed != null) ? changed : (patterns != null) ? patterns : (record) -> true;
	}

	private static Predicate<Record> changedFilter(String name, DynamoTrigger annotation, Set<EventType> events) {
		if (annotation.changed().length == 0) {
			return null;
		}
		ViewType viewType = annotation.viewType();
		Set<String> changed = new LinkedHashSet<>(List.of(annotation.changed()));
		if (changed.stream().anyMatch((attribute) -> !StringUtils.hasText(attribute))) {
			throw new IllegalStateException("@DynamoTrigger method " + name + " lists a blank attribute in changed "
					+ changed + "; list attribute names.");
		}
		boolean needsOld = events.contains(EventType.MODIFY) || events.contains(EventType.REMOVE);
		boolean needsNew = events.contains(EventType.MODIFY) || events.contains(EventType.INSERT);
		if ((needsOld && !viewType.carriesOldImage()) || (needsNew && !viewType.carriesNewImage())) {
			throw new IllegalStateException("@DynamoTrigger method " + name + " sets changed = " + changed
					+ ", which compares the images of " + events + " records, but the view type " + viewType
					+ " does not carry them. Use viewType = NEW_AND_OLD_IMAGES (and a stream of that type), or"
					+ " narrow events (INSERT needs a new image, REMOVE an old one).");
		}
		return new ChangedAttributesFilter(changed);
	}

	private Predicate<Record> patternFilter(String name, FilterSources filterSources, ViewType viewType) {
		String[] sources = filterSources.patterns();
		if (sources.length > MAX_PATTERNS) {
			throw new IllegalStateException("@DynamoTrigger method " + name + " has " + sources.length
					+ " filter patterns; at most " + MAX_PATTERNS + " are allowed (any of them may match). Set in: "
					+ filterSources.origin());
		}
		if (sources.length == 0) {
			return null;
		}
		EventPattern[] patterns = new EventPattern[sources.length];
		for (int i = 0; i < sources.length; i++) {
			patterns[i] = pattern(name, filterSources.origin(), i, sources.length, resolve(sources[i]), viewType);
		}
		return (patterns.length == 1) ? patterns[0] : (record) -> {
			for (EventPattern pattern : patterns) {
				if (pattern.test(record)) {
					return true;
				}
			}
			return false;
		};
	}

	private static EventPattern pattern(String name, String origin, int index, int count, String source,
			ViewType viewType) {
		String which = (count == 1) ? origin : origin + " pattern " + (index + 1) + " of " + count;
		EventPattern pattern;
		try {
			pattern = EventPattern.parse(source);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("@DynamoTrigger method " + name + " has an invalid " + which + ": "
					+ ex.getMessage() + ". Pattern: " + source, ex);
		}
		if ((pattern.readsNewImage() && !viewType.carriesNewImage())
				|| (pattern.readsOldImage() && !viewType.carriesOldImage())) {
			throw new IllegalStateException("@DynamoTrigger method " + name + " has a " + which + " on dynamodb."
					+ (pattern.readsNewImage() && !viewType.carriesNewImage() ? "NewImage" : "OldImage")
					+ ", which the view type " + viewType + " never carries. Match on dynamodb.Keys, or use a view"
					+ " type with that image.");
		}
		return pattern;
	}

	private record FilterSources(String origin, String[] patterns) {
	}

	private String resolve(String value) {
		String resolved = this.beanFactory.resolveEmbeddedValue(value);
		return (resolved != null) ? resolved.trim() : "";
	}

	/**
	 * Hands the triggers to the application's {@link TriggerEndpointRegistrar}.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		TriggerEndpointRegistrar registrar = this.beanFactory.getBean(TriggerEndpointRegistrar.class);
		synchronized (this.endpoints) {
			this.endpoints.forEach(registrar::register);
			this.endpoints.clear();
		}
	}

}
