package io.dynamotrigger.mapping;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/**
 * Finds the mapper of an item class: through the application's own {@link TableSchema} of that class when it
 * has one (a {@code TableSchema} bean, e.g. a {@code StaticTableSchema} or a schema with custom converters),
 * else through the schema built from the class ({@link ItemMapper#of}).
 */
public final class ItemMappers {

	private static final ItemMappers DEFAULTS = new ItemMappers(Map.of());

	private final Map<Class<?>, TableSchema<?>> schemas;

	private ItemMappers(Map<Class<?>, TableSchema<?>> schemas) {
		this.schemas = schemas;
	}

	/**
	 * Returns the mappers built from the item classes alone.
	 * @return the mappers
	 */
	public static ItemMappers defaults() {
		return DEFAULTS;
	}

	/**
	 * Returns the mappers that use the given schemas for their item classes.
	 * @param schemas the application's schemas, at most one per item class
	 * @return the mappers
	 * @throws IllegalStateException naming the class if two schemas map the same class
	 */
	public static ItemMappers of(Collection<? extends TableSchema<?>> schemas) {
		Map<Class<?>, TableSchema<?>> byClass = new HashMap<>();
		for (TableSchema<?> schema : schemas) {
			Class<?> type = schema.itemType().rawClass();
			if (byClass.putIfAbsent(type, schema) != null) {
				throw new IllegalStateException("The application has two TableSchema beans for " + type.getName()
						+ "; keep one, since dynamo-trigger maps the images of " + type.getSimpleName()
						+ " with the application's schema of it.");
			}
		}
		return byClass.isEmpty() ? DEFAULTS : new ItemMappers(Map.copyOf(byClass));
	}

	/**
	 * Returns the mapper of a class.
	 * @param type the class images are mapped to
	 * @param <T> the mapped type
	 * @return the mapper, with the application's schema of the class if there is one
	 * @throws IllegalArgumentException if there is none and the class cannot be mapped, saying why
	 */
	@SuppressWarnings("unchecked")
	public <T> ItemMapper<T> mapperOf(Class<T> type) {
		TableSchema<T> schema = (TableSchema<T>) this.schemas.get(type);
		return (schema != null) ? ItemMapper.withSchema(type, schema) : ItemMapper.of(type);
	}

}
