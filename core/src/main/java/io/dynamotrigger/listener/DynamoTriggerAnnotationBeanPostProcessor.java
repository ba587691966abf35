package io.dynamotrigger.listener;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.dynamotrigger.DynamoTrigger;
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

/**
 * Finds {@code @DynamoTrigger} methods on beans, once per bean class, checks their signatures, prepares
 * their invokers and hands them to the {@link TriggerRegistry} when all singletons exist.
 */
public class DynamoTriggerAnnotationBeanPostProcessor
		implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

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
		Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		HandlerInvoker invoker = HandlerInvoker.prepare(bean, invocable, annotation.viewType());
		return new TriggerEndpoint(id, table, annotation.viewType(), EnumSet.copyOf(List.of(annotation.events())),
				invoker);
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
