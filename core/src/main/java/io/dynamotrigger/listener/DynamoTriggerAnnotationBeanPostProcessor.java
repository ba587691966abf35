package io.dynamotrigger.listener;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.EventType;
import io.dynamotrigger.ViewType;
import io.dynamotrigger.filter.ChangedAttributesFilter;
import io.dynamotrigger.filter.EventPattern;
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
import org.springframework.util.StringUtils;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Finds {@code @DynamoTrigger} methods on beans, once per bean class, checks their signatures, prepares
 * their invokers and filters and hands them to the {@link TriggerRegistry} when all singletons exist.
 */
public class DynamoTriggerAnnotationBeanPostProcessor
		implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

	private static final int MAX_PATTERNS = 5;

	private final Set<Class<?>> classesWithoutTriggers = ConcurrentHashMap.newKeySet();

	private final List<TriggerEndpoint> endpoints = new ArrayList<>();

	private ConfigurableBeanFactory beanFactory;

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
		Predicate<Record> contentFilter = contentFilter(method, annotation, events);
		Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		HandlerInvoker invoker = HandlerInvoker.prepare(bean, invocable, annotation.viewType(), events);
		return new TriggerEndpoint(id, table, annotation.viewType(), events, contentFilter, invoker);
	}

	private Predicate<Record> contentFilter(Method method, DynamoTrigger annotation, Set<EventType> events) {
		String name = HandlerInvoker.methodName(method);
		ViewType viewType = annotation.viewType();
		Predicate<Record> filter = null;
		if (annotation.changed().length > 0) {
			Set<String> changed = new LinkedHashSet<>(List.of(annotation.changed()));
			if (changed.stream().anyMatch((attribute) -> !StringUtils.hasText(attribute))) {
				throw new IllegalStateException("@DynamoTrigger method " + name + " lists a blank attribute in changed "
						+ changed + "; list attribute names.");
			}
			boolean needsOld = events.contains(EventType.MODIFY) || events.contains(EventType.REMOVE);
			boolean needsNew = events.contains(EventType.MODIFY) || events.contains(EventType.INSERT);
			if ((needsOld && !carriesOldImage(viewType)) || (needsNew && !carriesNewImage(viewType))) {
				throw new IllegalStateException("@DynamoTrigger method " + name + " sets changed = " + changed
						+ ", which compares the images of " + events + " records, but the view type " + viewType
						+ " does not carry them. Use viewType = NEW_AND_OLD_IMAGES (and a stream of that type), or"
						+ " narrow events (INSERT needs a new image, REMOVE an old one).");
			}
			filter = new ChangedAttributesFilter(changed);
		}
		String[] sources = annotation.filter();
		if (sources.length > MAX_PATTERNS) {
			throw new IllegalStateException("@DynamoTrigger method " + name + " has " + sources.length
					+ " filter patterns; at most " + MAX_PATTERNS + " are allowed (any of them may match).");
		}
		if (sources.length > 0) {
			EventPattern[] patterns = new EventPattern[sources.length];
			for (int i = 0; i < sources.length; i++) {
				patterns[i] = pattern(name, i, sources.length, resolve(sources[i]), viewType);
			}
			Predicate<Record> anyPattern = (patterns.length == 1) ? patterns[0] : (record) -> {
				for (EventPattern pattern : patterns) {
					if (pattern.test(record)) {
						return true;
					}
				}
				return false;
			};
			filter = (filter != null) ? filter.and(anyPattern) : anyPattern;
		}
		return (filter != null) ? filter : (record) -> true;
	}

	private static EventPattern pattern(String name, int index, int count, String source, ViewType viewType) {
		String which = (count == 1) ? "filter" : "filter pattern " + (index + 1) + " of " + count;
		EventPattern pattern;
		try {
			pattern = EventPattern.parse(source);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("@DynamoTrigger method " + name + " has an invalid " + which + ": "
					+ ex.getMessage() + ". Pattern: " + source, ex);
		}
		if ((pattern.readsNewImage() && !carriesNewImage(viewType))
				|| (pattern.readsOldImage() && !carriesOldImage(viewType))) {
			throw new IllegalStateException("@DynamoTrigger method " + name + " has a " + which + " on dynamodb."
					+ (pattern.readsNewImage() && !carriesNewImage(viewType) ? "NewImage" : "OldImage")
					+ ", which the view type " + viewType + " never carries. Match on dynamodb.Keys, or use a view"
					+ " type with that image.");
		}
		return pattern;
	}

	private static boolean carriesNewImage(ViewType viewType) {
		return viewType == ViewType.NEW_IMAGE || viewType == ViewType.NEW_AND_OLD_IMAGES;
	}

	private static boolean carriesOldImage(ViewType viewType) {
		return viewType == ViewType.OLD_IMAGE || viewType == ViewType.NEW_AND_OLD_IMAGES;
	}

	private String resolve(String value) {
		String resolved = this.beanFactory.resolveEmbeddedValue(value);
		return (resolved != null) ? resolved.trim() : "";
	}

	@Override
	public void afterSingletonsInstantiated() {
		TriggerRegistry registry = this.beanFactory.getBean(TriggerRegistry.class);
		synchronized (this.endpoints) {
			this.endpoints.forEach(registry::register);
			this.endpoints.clear();
		}
	}

}
