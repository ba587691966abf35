package io.dynamotrigger.mapping;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;

import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbImmutable;

/**
 * A {@link TableSchema} for a Java record, which the Enhanced Client cannot introspect (it knows beans and
 * immutables with builders): one attribute per record component, named as the component or as its accessor's
 * {@code @DynamoDbAttribute}, converted by the SDK's own converters; a component that is itself a record, a
 * {@code @DynamoDbBean} or a {@code @DynamoDbImmutable} is a nested map. An image is built into an array of
 * component values (the schema's "builder"), then passed to the canonical constructor; a missing attribute
 * leaves its component {@code null}, or zero / {@code false} for a primitive. Everything reflective happens
 * once, when the schema is built.
 */
final class RecordTableSchema {

	private RecordTableSchema() {
	}

	/**
	 * Builds the schema of a record class.
	 * @param type the record class
	 * @param <T> the record type
	 * @return the schema
	 * @throws IllegalArgumentException if a component has a type the SDK cannot convert, naming it
	 */
	static <T> TableSchema<T> of(Class<T> type) {
		RecordComponent[] components = type.getRecordComponents();
		MethodHandle constructor = canonicalConstructor(type, components);
		Object[] defaults = Arrays.stream(components).map((component) -> defaultValue(component.getType())).toArray();
		StaticImmutableTableSchema.Builder<T, Object[]> schema = StaticImmutableTableSchema
			.builder(type, Object[].class)
			.newItemBuilder(defaults::clone, (values) -> construct(constructor, values));
		for (int i = 0; i < components.length; i++) {
			addAttribute(schema, components[i], i);
		}
		return schema.build();
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static <T> void addAttribute(StaticImmutableTableSchema.Builder<T, Object[]> schema,
			RecordComponent component, int index) {
		Method accessor = component.getAccessor();
		accessor.setAccessible(true);
		MethodHandle getter = unreflect(accessor).asType(MethodType.methodType(Object.class, Object.class));
		DynamoDbAttribute renamed = accessor.getAnnotation(DynamoDbAttribute.class);
		String name = (renamed != null) ? renamed.value() : component.getName();
		EnhancedType attributeType = enhancedType(component.getGenericType());
		schema.addAttribute(attributeType, (attribute) -> attribute.name(name)
			.getter((item) -> get(getter, item))
			.setter((values, value) -> values[index] = value));
	}

	private static EnhancedType<?> enhancedType(Type type) {
		if (type instanceof Class<?> nested && !nested.isPrimitive() && !nested.getName().startsWith("java.")) {
			if (nested.isRecord()) {
				return EnhancedType.documentOf(nested, (TableSchema) of(nested));
			}
			if (nested.isAnnotationPresent(DynamoDbBean.class) || nested.isAnnotationPresent(DynamoDbImmutable.class)) {
				return EnhancedType.documentOf(nested, (TableSchema) TableSchema.fromClass(nested));
			}
		}
		if (type instanceof ParameterizedType || type instanceof Class<?>) {
			return EnhancedType.of(type);
		}
		throw new IllegalArgumentException("record component type " + type + " cannot be mapped");
	}

	private static MethodHandle canonicalConstructor(Class<?> type, RecordComponent[] components) {
		Class<?>[] parameterTypes = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
		try {
			Constructor<?> constructor = type.getDeclaredConstructor(parameterTypes);
			constructor.setAccessible(true);
			return MethodHandles.lookup()
				.unreflectConstructor(constructor)
				.asSpreader(Object[].class, components.length)
				.asType(MethodType.methodType(Object.class, Object[].class));
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			throw new IllegalArgumentException("the canonical constructor of record " + type.getName()
					+ " cannot be called: " + ex.getMessage(), ex);
		}
	}

	private static MethodHandle unreflect(Method method) {
		try {
			return MethodHandles.lookup().unreflect(method);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalArgumentException(method + " cannot be called: " + ex.getMessage(), ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static <T> T construct(MethodHandle constructor, Object[] values) {
		try {
			return (T) (Object) constructor.invokeExact(values);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Object get(MethodHandle getter, Object item) {
		try {
			return (Object) getter.invokeExact(item);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Object defaultValue(Class<?> type) {
		return type.isPrimitive() ? Array.get(Array.newInstance(type, 1), 0) : null;
	}

}
