package io.dynamotrigger.boot;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The idempotency table of idempotent triggers, under {@code dynamo-trigger.idempotency.*}; used only when a
 * trigger is idempotent.
 *
 * @param tableName The idempotency table, created on start if missing (on-demand, TTL attribute expiresAt).
 * Defaults to {@code <application-name>-idempotency}.
 * @param expiry How long a handled record is remembered; a record read again later is handled again. At least
 * the lock timeout. Default 24h, the stream's retention: no record can be read again after that.
 * @param lockTimeout How long a claim of a record in progress holds. If the consumer dies during the call, the
 * record is called again (by the consumer that takes its shard over) once the claim runs out; a call (with its
 * retries) that takes longer may be made twice. At least 1s.
 */
@ConfigurationProperties("dynamo-trigger.idempotency")
public record IdempotencyProperties(String tableName, @DefaultValue("24h") Duration expiry,
		@DefaultValue("1m") Duration lockTimeout) {

}
