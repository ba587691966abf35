/**
 * Opt-in idempotent triggers: a record a trigger already handled successfully is not handed to it again.
 * Each record's key (its stream event id, or the application's {@link io.dynamotrigger.idempotency.IdempotencyKey}
 * for a record without one) is claimed in a DynamoDB table before the call and marked completed after it;
 * a claim whose holder died expires after the lock timeout.
 *
 * <p>{@link io.dynamotrigger.idempotency.IdempotencyKey} is API; the other types are public only for the
 * framework's own packages (the registry and the auto-configuration) and may change without notice.
 */
package io.dynamotrigger.idempotency;
