package io.dynamotrigger.window;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.WindowContext;
import io.dynamotrigger.mapping.ItemMapper;
import io.dynamotrigger.mapping.ItemMappers;
import org.springframework.core.ResolvableType;
import org.springframework.util.ReflectionUtils;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/**
 * A tumbling-window trigger method, prepared once at startup: {@code S m(List<ItemChange<T>> changes, S state,
 * WindowContext context)}. Calls it with a window's records and the state so far, and writes and reads its
 * state as JSON (Jackson), at most {@value #MAX_STATE_BYTES} bytes in UTF-8.
 */
public final class WindowFunction {

	/** The largest state, as JSON in UTF-8, that is kept between calls: it is saved in one DynamoDB item. */
	public static final int MAX_STATE_BYTES = 350 * 1024;

	static final String ACCEPTED_FORM = "A window method is S m(List<ItemChange<T>> changes, S state,"
			+ " WindowContext context): S is the state type (a record or bean Jackson can write and read as JSON),"
			+ " returned as the new state; T is a class annotated with @DynamoDbBean or @DynamoDbImmutable, or"
			+ " Map<String, AttributeValue> for unmapped images.";

	private static final ObjectMapper JSON = new ObjectMapper()
		.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

	private final String methodName;

	private final MethodHandle handle;

	private final Function<Record, Object> argument;

	private final JavaType stateType;

	private final TumblingWindows windows;

	private WindowFunction(String methodName, MethodHandle handle, Function<Record, Object> argument,
			JavaType stateType, TumblingWindows windows) {
		this.methodName = methodName;
		this.handle = handle;
		this.argument = argument;
		this.stateType = stateType;
		this.windows = windows;
	}

	/**
	 * Prepares the call of a window method on a bean.
	 * @param bean the bean (or its proxy) to call the method on
	 * @param method the method, already resolved to one the bean's class can invoke
	 * @param name the method's class and name, for messages
	 * @param windows the trigger's window length
	 * @param mappers finds the mapper of the method's item class
	 * @return the prepared method
	 * @throws IllegalStateException naming the method and what to change, if the signature does not fit
	 */
	public static WindowFunction prepare(Object bean, Method method, String name, TumblingWindows windows,
			ItemMappers mappers) {
		Class<?>[] types = method.getParameterTypes();
		if (types.length != 3 || types[0] != List.class || types[2] != WindowContext.class) {
			throw new IllegalStateException("@DynamoTrigger method " + name + " sets window, but takes "
					+ List.of(types).stream().map(Class::getSimpleName).toList() + ". " + ACCEPTED_FORM);
		}
		ResolvableType state = ResolvableType.forMethodParameter(method, 1);
		ResolvableType returned = ResolvableType.forMethodReturnType(method);
		if (method.getReturnType() == void.class || types[1].isPrimitive()
				|| !state.getType().equals(returned.getType())) {
			throw new IllegalStateException("@DynamoTrigger method " + name + " sets window, so it must return the"
					+ " new state, of the same type as its state parameter; it takes " + state.getType().getTypeName()
					+ " and returns " + returned.getType().getTypeName() + ". " + ACCEPTED_FORM);
		}
		JavaType stateType = JSON.getTypeFactory().constructType(method.getGenericReturnType());
		if (!JSON.canSerialize(stateType.getRawClass())) {
			throw new IllegalStateException("@DynamoTrigger method " + name + " has a state type "
					+ stateType.toCanonical() + " that Jackson cannot write as JSON. " + ACCEPTED_FORM);
		}
		ResolvableType element = ResolvableType.forMethodParameter(method, 0).getGeneric(0);
		if (element.toClass() != ItemChange.class) {
			throw new IllegalStateException("@DynamoTrigger method " + name + " takes a List of "
					+ element.getType().getTypeName() + "; a window method takes List<ItemChange<YourItem>>. "
					+ ACCEPTED_FORM);
		}
		Function<Record, Object> argument = itemChange(name, element.getGeneric(0), mappers);
		ReflectionUtils.makeAccessible(method);
		try {
			MethodHandle handle = MethodHandles.lookup().unreflect(method).bindTo(bean);
			return new WindowFunction(name, handle.asType(MethodType.methodType(Object.class, Object.class,
					Object.class, WindowContext.class)), argument, stateType, windows);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("Cannot access @DynamoTrigger method " + name, ex);
		}
	}

	private static Function<Record, Object> itemChange(String name, ResolvableType item, ItemMappers mappers) {
		Class<?> itemType = item.resolve();
		if (itemType == Map.class) {
			return WindowFunction::untypedItemChange;
		}
		if (itemType == null || itemType == Object.class) {
			throw new IllegalStateException("@DynamoTrigger method " + name
					+ " takes ItemChange without a concrete item type; declare it as ItemChange<YourItem>. "
					+ ACCEPTED_FORM);
		}
		try {
			ItemMapper<?> mapper = mappers.mapperOf(itemType);
			return mapper::toItemChange;
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("@DynamoTrigger method " + name + ": " + ex.getMessage() + " "
					+ ACCEPTED_FORM, ex);
		}
	}

	private static ItemChange<Map<String, AttributeValue>> untypedItemChange(Record record) {
		StreamRecord change = record.dynamodb();
		return new ItemChange<>(record, change.hasOldImage() ? change.oldImage() : null,
				change.hasNewImage() ? change.newImage() : null);
	}

	/**
	 * Returns the method's class and name, for messages.
	 * @return {@code ClassName.methodName}
	 */
	public String methodName() {
		return this.methodName;
	}

	/**
	 * Returns how the trigger's records fall into windows.
	 * @return the window length and alignment
	 */
	public TumblingWindows windows() {
		return this.windows;
	}

	/**
	 * Maps the records and calls the method once.
	 * @param records the window's records of this call, in stream order; empty for the final call
	 * @param state the state the previous call of the window returned, {@code null} on its first call
	 * @param context the window and the call
	 * @return the new state
	 * @throws IllegalArgumentException if a record's event type is unknown to this version
	 * @throws Throwable whatever the mapping or the method throws
	 */
	Object apply(List<Record> records, Object state, WindowContext context) throws Throwable {
		List<Object> changes = new ArrayList<>(records.size());
		for (Record record : records) {
			EventType.of(record.eventName());
			changes.add(this.argument.apply(record));
		}
		return this.handle.invokeExact((Object) Collections.unmodifiableList(changes), state, context);
	}

	/**
	 * Writes a state as JSON.
	 * @param state the state, may be {@code null}
	 * @return the JSON, {@code null} for a {@code null} state
	 * @throws WindowStateTooLargeException if the JSON has more than {@value #MAX_STATE_BYTES} bytes
	 * @throws IllegalStateException if Jackson cannot write it
	 */
	String toJson(Object state) {
		if (state == null) {
			return null;
		}
		String json;
		try {
			json = JSON.writerFor(this.stateType).writeValueAsString(state);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Cannot write the window state of " + this.methodName + " as JSON", ex);
		}
		int bytes = json.getBytes(StandardCharsets.UTF_8).length;
		if (bytes > MAX_STATE_BYTES) {
			throw new WindowStateTooLargeException(this.methodName, bytes);
		}
		return json;
	}

	/**
	 * Reads a state that {@link #toJson} wrote.
	 * @param json the JSON, may be {@code null}
	 * @return the state, {@code null} for none
	 * @throws IllegalStateException if it no longer fits the state type
	 */
	Object fromJson(String json) {
		if (json == null) {
			return null;
		}
		try {
			return JSON.readValue(json, this.stateType);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Cannot read the saved window state of " + this.methodName + " as "
					+ this.stateType.toCanonical() + " (did the state type change incompatibly?): " + json, ex);
		}
	}

	/**
	 * Returns the length of the windows.
	 * @return the window length
	 */
	public Duration length() {
		return this.windows.length();
	}

}
