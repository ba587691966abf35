package io.dynamotrigger.idempotency;

import java.time.Clock;
import java.util.Collection;
import java.util.function.Function;

import io.dynamotrigger.config.TriggerEndpoint;
import io.dynamotrigger.error.ErrorPolicy;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Which triggers are idempotent, and their idempotency steps: a trigger is idempotent when
 * {@code dynamo-trigger.triggers.<id>.idempotent} says so, or else its annotation's {@code idempotent}.
 * Everything a trigger's idempotency needs (its key bean, the table) is checked at startup.
 */
public final class Idempotency {

	/** No idempotency table: a trigger that asks to be idempotent fails the start. */
	public static final Idempotency NONE = new Idempotency(null, (id) -> null, (name) -> null,
			(id) -> IdempotencyMeters.NONE);

	/** Back-offs with more pauses than this count as endless. */
	private static final int MAX_PAUSES_CHECKED = 10_000;

	private final IdempotencyTable table;

	private final Function<String, Boolean> configured;

	private final Function<String, Object> beans;

	private final Function<String, IdempotencyMeters> meters;

	/**
	 * Creates the idempotency of an application's triggers.
	 * @param table the idempotency table
	 * @param configured {@code dynamo-trigger.triggers.<id>.idempotent} by trigger id; {@code null} when unset
	 * @param beans the application's beans by name ({@code null} for none), to find key beans
	 * @param meters the meters of a trigger's idempotency step
	 */
	public Idempotency(IdempotencyTable table, Function<String, Boolean> configured, Function<String, Object> beans,
			Function<String, IdempotencyMeters> meters) {
		this.table = table;
		this.configured = configured;
		this.beans = beans;
		this.meters = meters;
	}

	/**
	 * Tells whether a trigger is idempotent.
	 * @param endpoint the trigger
	 * @return whether its records go through an idempotency step
	 */
	public boolean isIdempotent(TriggerEndpoint endpoint) {
		Boolean property = this.configured.apply(endpoint.id());
		if (property != null) {
			return property;
		}
		return Boolean.TRUE.equals(endpoint.idempotency().idempotent());
	}

	/**
	 * Checks the idempotency of triggers, and creates the idempotency table if one of them is idempotent.
	 * @param endpoints the enabled triggers
	 * @param policies the error policy of a trigger by id; {@code null} where records are not retried here
	 * @throws IllegalStateException naming the trigger and what to change
	 */
	public void prepare(Collection<TriggerEndpoint> endpoints, Function<String, ErrorPolicy> policies) {
		boolean any = false;
		for (TriggerEndpoint endpoint : endpoints) {
			boolean idempotent = isIdempotent(endpoint);
			String keyBean = endpoint.idempotency().keyBean();
			if (keyBean != null && !idempotent) {
				throw new IllegalStateException("@DynamoTrigger '" + endpoint.id() + "' names idempotencyKey = \""
						+ keyBean + "\" but is not idempotent; set idempotent = \"true\" (or dynamo-trigger.triggers."
						+ endpoint.id() + ".idempotent=true), or remove idempotencyKey.");
			}
			if (idempotent && endpoint.isWindow()) {
				throw new IllegalStateException("Trigger '" + endpoint.id() + "' is a tumbling-window method and"
						+ " idempotent; a window's state is kept with the shard's checkpoint, so its records count once"
						+ " without it (its final call is at least once). Remove idempotent (or set"
						+ " dynamo-trigger.triggers." + endpoint.id() + ".idempotent=false).");
			}
			if (idempotent) {
				if (this.table == null) {
					throw new IllegalStateException("Trigger '" + endpoint.id() + "' is idempotent, but there is no"
							+ " idempotency table here (the Lambda runtime and a registry of the application's own have"
							+ " none); remove idempotent, or run the trigger with the stream consumer.");
				}
				userKey(endpoint);
				checkRetries(endpoint, policies.apply(endpoint.id()));
				any = true;
			}
		}
		if (any) {
			this.table.prepare();
		}
	}

	/**
	 * Returns a trigger's idempotency step.
	 * @param endpoint the trigger
	 * @return the step, or {@code null} when the trigger is not idempotent
	 */
	public IdempotentDelivery delivery(TriggerEndpoint endpoint) {
		if (!isIdempotent(endpoint)) {
			return null;
		}
		return new IdempotentDelivery(endpoint.id(), this.table, userKey(endpoint), this.meters.apply(endpoint.id()),
				Clock.systemUTC());
	}

	/**
	 * Fails if a trigger's retries can outlast the claim of its record: after a lease move another consumer
	 * could then claim the record and call the trigger with it too.
	 */
	private void checkRetries(TriggerEndpoint endpoint, ErrorPolicy policy) {
		if (policy == null) {
			return;
		}
		long lockMillis = this.table.lockTimeout().toMillis();
		BackOffExecution execution = policy.backOff().start();
		long pausesMillis = 0;
		for (int pause = 0; pause < MAX_PAUSES_CHECKED && pausesMillis < lockMillis; pause++) {
			long next = execution.nextBackOff();
			if (next == BackOffExecution.STOP) {
				return;
			}
			pausesMillis += next;
		}
		throw new IllegalStateException("Trigger '" + endpoint.id() + "' is idempotent, but its retries pause "
				+ ((pausesMillis < lockMillis) ? "without end" : "at least " + pausesMillis + " ms")
				+ ", as long as the claim of a record holds (dynamo-trigger.idempotency.lock-timeout = "
				+ this.table.lockTimeout() + "): the record could be called twice. Raise the lock timeout above the"
				+ " pauses with the calls, or lower dynamo-trigger.triggers." + endpoint.id()
				+ ".retry.max-attempts / max-interval.");
	}

	private IdempotencyKey userKey(TriggerEndpoint endpoint) {
		String name = endpoint.idempotency().keyBean();
		if (name == null) {
			return null;
		}
		Object bean = this.beans.apply(name);
		if (bean instanceof IdempotencyKey key) {
			return key;
		}
		throw new IllegalStateException("@DynamoTrigger '" + endpoint.id() + "' names idempotencyKey = \"" + name
				+ "\", but " + ((bean == null) ? "there is no bean of that name"
						: "that bean is a " + bean.getClass().getName() + ", not an IdempotencyKey")
				+ "; define a bean of that name implementing io.dynamotrigger.idempotency.IdempotencyKey, or remove"
				+ " idempotencyKey.");
	}

}
