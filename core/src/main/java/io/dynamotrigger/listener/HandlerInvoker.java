package io.dynamotrigger.listener;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.function.Function;

import io.dynamotrigger.ItemChange;
import io.dynamotrigger.ViewType;
import io.dynamotrigger.mapping.ItemMapper;
import org.springframework.core.ResolvableType;
import org.springframework.util.ReflectionUtils;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Calls one trigger method with the argument its signature asks for. The signature is checked, the
 * mapper built and the method handle bound once, here; per record only the mapping and the call remain.
 */
final class HandlerInvoker {

	private static final String ACCEPTED_FORMS = "Accepted forms: void m(ItemChange<T>) or void m(T), where T is"
			+ " a class annotated with @DynamoDbBean or @DynamoDbImmutable.";

	private final String methodName;

	private final MethodHandle handle;

	private final Function<Record, Object> argument;

	private HandlerInvoker(String methodName, MethodHandle handle, Function<Record, Object> argument) {
		this.methodName = methodName;
		this.handle = handle;
		this.argument = argument;
	}

	/**
	 * Prepares the call of a trigger method on a bean.
	 * @param bean the bean (or its proxy) to call the method on
	 * @param method the method, already resolved to one the bean's class can invoke
	 * @param viewType what the stream's records carry
	 * @return the invoker
	 * @throws IllegalStateException naming the method and what to change, if the signature does not fit
	 */
	static HandlerInvoker prepare(Object bean, Method method, ViewType viewType) {
		String name = methodName(method);
		if (method.getReturnType() != void.class) {
			throw new IllegalStateException(
					"@DynamoTrigger method " + name + " must return void, not " + method.getReturnType().getName()
							+ ". " + ACCEPTED_FORMS);
		}
		if (method.getParameterCount() != 1) {
			throw new IllegalStateException("@DynamoTrigger method " + name + " must take exactly one parameter, not "
					+ method.getParameterCount() + ". " + ACCEPTED_FORMS);
		}
		ResolvableType parameter = ResolvableType.forMethodParameter(method, 0);
		Function<Record, Object> argument;
		if (parameter.toClass() == ItemChange.class) {
			Class<?> itemType = parameter.getGeneric(0).resolve();
			if (itemType == null || itemType == Object.class) {
				throw new IllegalStateException("@DynamoTrigger method " + name
						+ " takes ItemChange without a concrete item type; declare it as ItemChange<YourItem>. "
						+ ACCEPTED_FORMS);
			}
			ItemMapper<?> mapper = mapper(name, itemType);
			argument = mapper::toItemChange;
		}
		else {
			if (viewType == ViewType.KEYS_ONLY) {
				throw new IllegalStateException("@DynamoTrigger method " + name + " takes an item ("
						+ parameter.getType().getTypeName() + ") but the view type KEYS_ONLY carries no image;"
						+ " take ItemChange<" + parameter.toClass().getSimpleName()
						+ "> and read keys(), or use a view type with images.");
			}
			ItemMapper<?> mapper = mapper(name, parameter.toClass());
			argument = mapper::toItem;
		}
		ReflectionUtils.makeAccessible(method);
		try {
			MethodHandle handle = MethodHandles.lookup()
				.unreflect(method)
				.bindTo(bean)
				.asType(MethodType.methodType(void.class, Object.class));
			return new HandlerInvoker(name, handle, argument);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("Cannot access @DynamoTrigger method " + name, ex);
		}
	}

	static String methodName(Method method) {
		return method.getDeclaringClass().getName() + "." + method.getName();
	}

	/**
	 * Returns the method's class and name, for messages.
	 * @return {@code ClassName.methodName}
	 */
	String methodName() {
		return this.methodName;
	}

	private static ItemMapper<?> mapper(String methodName, Class<?> itemType) {
		try {
			return ItemMapper.of(itemType);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("@DynamoTrigger method " + methodName + ": " + ex.getMessage() + " "
					+ ACCEPTED_FORMS, ex);
		}
	}

	/**
	 * Maps the record to the method's argument and calls the method.
	 * @param record the stream record
	 * @throws Throwable whatever the mapping or the method throws
	 */
	void invoke(Record record) throws Throwable {
		this.handle.invokeExact(this.argument.apply(record));
	}

}
