/**
 * Internal: the filters a trigger's {@code changed} attributes and {@code filter} patterns become, applied to
 * the raw stream record before anything is mapped.
 *
 * <p>Not API: {@link io.dynamotrigger.filter.ChangedAttributesFilter} and
 * {@link io.dynamotrigger.filter.EventPattern} are public only for {@code io.dynamotrigger.config}, which builds
 * them at startup; applications write the patterns as text and may not use these types, which may change without
 * notice.
 */
package io.dynamotrigger.filter;
