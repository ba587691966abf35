package io.dynamotrigger.idempotency;

/**
 * What a trigger's annotation says about idempotency.
 *
 * @param idempotent {@code idempotent = "true"} or {@code "false"}; {@code null} when the annotation leaves it
 * out (then {@code dynamo-trigger.triggers.<id>.idempotent} decides, and is {@code false} by default)
 * @param keyBean the name of the {@link IdempotencyKey} bean for records without an event id; {@code null} for
 * none
 */
public record IdempotencyDeclaration(Boolean idempotent, String keyBean) {

	/** The annotation says nothing about idempotency. */
	public static final IdempotencyDeclaration NONE = new IdempotencyDeclaration(null, null);

}
