package io.dynamotrigger.listener;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.TriggerContext;
import io.dynamotrigger.ViewType;
import io.dynamotrigger.mapping.ItemMapper;
import io.dynamotrigger.mapping.ItemMappers;
import org.springframework.core.ResolvableType;
import org.springframework.util.ReflectionUtils;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/**
 * Calls one trigger method with the arguments its signature asks for. The signature is checked, the
 * mapping chosen and the method handle bound once, here; per record only the mapping and the call remain.
 */
public final class HandlerInvoker {

	static final String ACCEPTED_FORMS = "Accepted forms: void m(T), void m(ItemChange<T>),"
			+ " void m(List<ItemChange<T>>) for batches, void m(ItemChange<Map<String, AttributeValue>>) for"
			+ " unmapped images, or void m(Record) for the SDK's stream record, each optionally followed by a"
			+ " TriggerContext parameter; T is a class annotated with @DynamoDbBean or @DynamoDbImmutable.";

	private static final ResolvableType UNTYPED_IMAGE = ResolvableType.forClassWithGenerics(Map.class, String.class,
			AttributeValue.class);

	private final String methodName;

	private final MethodHandle handle;

	private final Function<Record, Object> argument;

	private final boolean batch;

	private final boolean takesContext;

	private HandlerInvoker(String methodName, MethodHandle handle, Function<Record, Object> argument, boolean batch,
			boolean takesContext) {
		this.methodName = methodName;
		this.handle = handle;
		this.argument = argument;
		this.batch = batch;
		this.takesContext = takesContext;
	}

	/**
	 * Prepares the call of a trigger method on a bean, mapping items with the schemas built from their classes.
	 * @param bean the bean (or its proxy) to call the method on
	 * @param method the method, already resolved to one the bean's class can invoke
	 * @param viewType what the stream's records carry
	 * @param events the event types the method is called for
	 * @return the invoker
	 * @throws IllegalStateException naming the method and what to change, if the signature does not fit
	 */
	public static HandlerInvoker prepare(Object bean, Method method, ViewType viewType, Set<EventType> events) {
		return prepare(bean, method, viewType, events, ItemMappers.defaults());
	}

	/**
	 * Prepares the call of a trigger method on a bean.
	 * @param bean the bean (or its proxy) to call the method on
	 * @param method the method, already resolved to one the bean's class can invoke
	 * @param viewType what the stream's records carry
	 * @param events the event types the method is called for
	 * @param mappers finds the mapper of the method's item class
	 * @return the invoker
	 * @throws IllegalStateException naming the method and what to change, if the signature does not fit
	 */
	public static HandlerInvoker prepare(Object bean, Method method, ViewType viewType, Set<EventType> events,
			ItemMappers mappers) {
		String name = methodName(method);
		if (method.getReturnType() != void.class) {
			throw new IllegalStateException(
					"@DynamoTrigger method " + name + " must return void, not " + method.getReturnType().getName()
							+ ". " + ACCEPTED_FORMS);
		}
		int count = method.getParameterCount();
		boolean takesContext = count == 2 && method.getParameterTypes()[1] == TriggerContext.class;
		if (count == 0 || count > 2 || (count == 2 && !takesContext)) {
			throw new IllegalStateException("@DynamoTrigger method " + name
					+ " must take one parameter, optionally followed by a TriggerContext, not "
					+ List.of(method.getParameterTypes()).stream().map(Class::getSimpleName).toList() + ". "
					+ ACCEPTED_FORMS);
		}
		ResolvableType parameter = ResolvableType.forMethodParameter(method, 0);
		Class<?> type = parameter.toClass();
		boolean batch = type == List.class;
		Function<Record, Object> argument;
		if (batch) {
			ResolvableType element = parameter.getGeneric(0);
			if (element.toClass() != ItemChange.class) {
				throw new IllegalStateException("@DynamoTrigger method " + name + " takes a List of "
						+ element.getType().getTypeName() + "; a batch method takes List<ItemChange<YourItem>>. "
						+ ACCEPTED_FORMS);
			}
			argument = itemChange(name, element, mappers);
		}
		else if (type == ItemChange.class) {
			argument = itemChange(name, parameter, mappers);
		}
		else if (type == Record.class) {
			argument = (record) -> record;
		}
		else if (type == TriggerContext.class) {
			throw new IllegalStateException("@DynamoTrigger method " + name
					+ " takes a TriggerContext first; it may only follow the record parameter. " + ACCEPTED_FORMS);
		}
		else {
			checkItemParameter(name, type, viewType, events);
			ItemMapper<?> mapper = mapper(name, type, mappers);
			argument = mapper::toItem;
		}
		ReflectionUtils.makeAccessible(method);
		try {
			MethodHandle handle = MethodHandles.lookup().unreflect(method).bindTo(bean);
			if (!takesContext) {
				handle = MethodHandles.dropArguments(handle, 1, TriggerContext.class);
			}
			return new HandlerInvoker(name, handle.asType(MethodType.methodType(void.class, Object.class,
					TriggerContext.class)), argument, batch, takesContext);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("Cannot access @DynamoTrigger method " + name, ex);
		}
	}

	private static Function<Record, Object> itemChange(String name, ResolvableType itemChange,
			ItemMappers mappers) {
		ResolvableType item = itemChange.getGeneric(0);
		Class<?> itemType = item.resolve();
		if (itemType == Map.class) {
			if (!UNTYPED_IMAGE.isAssignableFrom(item) || !item.isAssignableFrom(UNTYPED_IMAGE)) {
				throw new IllegalStateException("@DynamoTrigger method " + name + " takes ItemChange<"
						+ item.getType().getTypeName()
						+ ">; unmapped images are ItemChange<Map<String, AttributeValue>>. " + ACCEPTED_FORMS);
			}
			return HandlerInvoker::untypedItemChange;
		}
		if (itemType == null || itemType == Object.class) {
			throw new IllegalStateException("@DynamoTrigger method " + name
					+ " takes ItemChange without a concrete item type; declare it as ItemChange<YourItem>. "
					+ ACCEPTED_FORMS);
		}
		ItemMapper<?> mapper = mapper(name, itemType, mappers);
		return mapper::toItemChange;
	}

	private static ItemChange<Map<String, AttributeValue>> untypedItemChange(Record record) {
		StreamRecord change = record.dynamodb();
		return new ItemChange<>(record, change.hasOldImage() ? change.oldImage() : null,
				change.hasNewImage() ? change.newImage() : null);
	}

	/**
	 * A plain item parameter receives the new image, or the old image of a REMOVE: the view type must carry
	 * that image for every event the method is called for.
	 */
	private static void checkItemParameter(String name, Class<?> type, ViewType viewType, Set<EventType> events) {
		String item = type.getSimpleName();
		String advice = " Take ItemChange<" + item + "> to receive whatever the record carries.";
		if (viewType.carriesKeysOnly()) {
			throw new IllegalStateException("@DynamoTrigger method " + name + " takes an item (" + type.getName()
					+ ") but the view type " + viewType + " carries no image; take ItemChange<" + item
					+ "> and read keys(), or use a view type with images.");
		}
		if (!viewType.carriesNewImage() && (events.contains(EventType.INSERT) || events.contains(EventType.MODIFY))) {
			throw new IllegalStateException("@DynamoTrigger method " + name + " takes an item (" + type.getName()
					+ "), which is the new image for INSERT and MODIFY, but the view type " + viewType + " carries no"
					+ " new image. Set events = REMOVE (the item is then the deleted one), or use NEW_AND_OLD_IMAGES."
					+ advice);
		}
		if (!viewType.carriesOldImage() && events.contains(EventType.REMOVE)) {
			throw new IllegalStateException("@DynamoTrigger method " + name + " takes an item (" + type.getName()
					+ "), which is the old image for REMOVE, but the view type " + viewType + " carries no old image."
					+ " Leave REMOVE out of events, or use NEW_AND_OLD_IMAGES." + advice);
		}
	}

	/**
	 * Returns a method's class and name, for messages.
	 * @param method the method
	 * @return {@code ClassName.methodName}
	 */
	public static String methodName(Method method) {
		return method.getDeclaringClass().getName() + "." + method.getName();
	}

	/**
	 * Returns the method's class and name, for messages.
	 * @return {@code ClassName.methodName}
	 */
	public String methodName() {
		return this.methodName;
	}

	/**
	 * Tells whether the method takes a batch of records ({@code List<ItemChange<T>>}).
	 * @return whether it is a batch method
	 */
	public boolean isBatch() {
		return this.batch;
	}

	/**
	 * Tells whether the method takes a {@link TriggerContext}; if not, {@link #invoke} needs none.
	 * @return whether the method declares a context parameter
	 */
	public boolean takesContext() {
		return this.takesContext;
	}

	private static ItemMapper<?> mapper(String methodName, Class<?> itemType, ItemMappers mappers) {
		try {
			return mappers.mapperOf(itemType);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("@DynamoTrigger method " + methodName + ": " + ex.getMessage() + " "
					+ ACCEPTED_FORMS, ex);
		}
	}

	/**
	 * Maps the records to the method's argument and calls the method once. A record of an event type unknown
	 * to this version cannot be mapped: no method is called with it.
	 * @param records the stream records, in stream order: exactly one unless {@link #isBatch()}
	 * @param context where the records come from; may be {@code null} unless {@link #takesContext()}
	 * @throws IllegalArgumentException if a record's event type is unknown to this version
	 * @throws Throwable whatever the mapping or the method throws
	 */
	public void invoke(List<Record> records, TriggerContext context) throws Throwable {
		if (!this.batch) {
			Record record = records.get(0);
			EventType.of(record.eventName());
			this.handle.invokeExact(this.argument.apply(record), context);
			return;
		}
		List<Object> changes = new ArrayList<>(records.size());
		for (Record record : records) {
			EventType.of(record.eventName());
			changes.add(this.argument.apply(record));
		}
		this.handle.invokeExact((Object) Collections.unmodifiableList(changes), context);
	}

}
