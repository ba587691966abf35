/**
 * Turns a stream record's images into a trigger's item class, through a table schema prepared once per class.
 *
 * <p>{@link io.dynamotrigger.mapping.RecordMappingException} is API: a record that does not fit the item class
 * throws it, and it is non-retryable by default. {@link io.dynamotrigger.mapping.ItemMapper} is public only for
 * the framework's own packages; it is not API and may change without notice.
 */
package io.dynamotrigger.mapping;
