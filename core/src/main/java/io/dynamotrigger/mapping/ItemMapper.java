package io.dynamotrigger.mapping;

import java.util.Map;

import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbImmutable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/**
 * Maps the images of stream records to instances of one class through the AWS SDK Enhanced Client's
 * {@link TableSchema} (for a Java record, a schema of the record's components with the SDK's converters). The schema is built once per class, on the first {@link #of} for it, and shared
 * by every mapper of that class.
 *
 * @param <T> the mapped type
 */
public final class ItemMapper<T> {

	private static final ClassValue<ItemMapper<?>> MAPPERS = new ClassValue<>() {

		@Override
		protected ItemMapper<?> computeValue(Class<?> type) {
			return create(type);
		}

	};

	private final Class<T> type;

	private final TableSchema<T> schema;

	private ItemMapper(Class<T> type, TableSchema<T> schema) {
		this.type = type;
		this.schema = schema;
	}

	/**
	 * Returns the mapper of a record or a class annotated with {@code @DynamoDbBean} or {@code @DynamoDbImmutable},
	 * building it on the first call for the class.
	 * @param type the class images are mapped to
	 * @param <T> the mapped type
	 * @return the mapper
	 * @throws IllegalArgumentException if the Enhanced Client cannot map the class, saying why
	 */
	@SuppressWarnings("unchecked")
	public static <T> ItemMapper<T> of(Class<T> type) {
		return (ItemMapper<T>) MAPPERS.get(type);
	}

	/**
	 * Returns a mapper through a schema given by the application.
	 * @param type the class images are mapped to
	 * @param schema its schema
	 * @param <T> the mapped type
	 * @return the mapper
	 */
	static <T> ItemMapper<T> withSchema(Class<T> type, TableSchema<T> schema) {
		return new ItemMapper<>(type, schema);
	}

	private static <T> ItemMapper<T> create(Class<T> type) {
		try {
			return new ItemMapper<>(type, isPlainRecord(type) ? RecordTableSchema.of(type) : TableSchema.fromClass(type));
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("Cannot map stream images to " + type.getName() + ": " + ex.getMessage()
					+ ". Annotate the class with @DynamoDbBean (public no-argument constructor, getters and setters)"
					+ " or @DynamoDbImmutable (with a builder), or make it a Java record of types the SDK converts.",
					ex);
		}
	}

	/**
	 * Tells whether a class is a record that the Enhanced Client cannot map itself: a record not annotated
	 * {@code @DynamoDbImmutable} (which names a builder the SDK uses).
	 */
	private static boolean isPlainRecord(Class<?> type) {
		return type.isRecord() && !type.isAnnotationPresent(DynamoDbImmutable.class);
	}

	/**
	 * Returns the class this mapper produces.
	 * @return the mapped class
	 */
	public Class<T> type() {
		return this.type;
	}

	/**
	 * Maps one image.
	 * @param image the attributes of an image, possibly empty or {@code null}
	 * @return the mapped item, or {@code null} if the record has no such image
	 * @throws RecordMappingException if the attributes do not fit the class
	 */
	public T map(Map<String, AttributeValue> image) {
		if (image == null || image.isEmpty()) {
			return null;
		}
		try {
			return this.schema.mapToItem(image);
		}
		catch (RuntimeException ex) {
			throw new RecordMappingException("Cannot map image to " + this.type.getName() + failingAttribute(image)
					+ ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Finds the attribute the schema cannot convert, converting one attribute at a time; runs only after a
	 * mapping failed. Names its type, not its value, which may be personal data and ends up in logs.
	 */
	private String failingAttribute(Map<String, AttributeValue> image) {
		for (String name : this.schema.attributeNames()) {
			AttributeValue value = image.get(name);
			if (value == null) {
				continue;
			}
			try {
				this.schema.converterForAttribute(name).transformTo(value);
			}
			catch (RuntimeException ex) {
				return ": attribute '" + name + "' (of type " + value.type() + ") does not fit";
			}
		}
		return "";
	}

	/**
	 * Maps a whole stream record: both images, keeping the record for the change's other data.
	 * @param record the stream record
	 * @return the item change
	 * @throws RecordMappingException if an image does not fit the class
	 */
	public ItemChange<T> toItemChange(Record record) {
		StreamRecord change = record.dynamodb();
		return new ItemChange<>(record, map(change.oldImage()), map(change.newImage()));
	}

	/**
	 * Maps the image a plain item parameter receives: the new image, or the old image of a
	 * {@link EventType#REMOVE}.
	 * @param record the stream record
	 * @return the mapped item, or {@code null} if the record carries no such image
	 * @throws RecordMappingException if the image does not fit the class
	 */
	public T toItem(Record record) {
		StreamRecord change = record.dynamodb();
		return map(EventType.of(record.eventName()) == EventType.REMOVE ? change.oldImage() : change.newImage());
	}

}
