package io.dynamotrigger.lease;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The last shard of a table whose end this instance checkpointed, kept until the instance takes a shard of
 * the table again or the shards that follow it are handed off; read by {@link ShardHandOffWatch}.
 */
public final class LastShardEnd {

	private final AtomicReference<ShardEnd> last = new AtomicReference<>();

	/**
	 * Remembers a shard whose end was checkpointed.
	 * @param shardId the shard
	 * @param endedAt when its end was checkpointed
	 */
	public void ended(String shardId, Instant endedAt) {
		this.last.set(new ShardEnd(shardId, endedAt));
	}

	/**
	 * Forgets the end: the instance took a shard, so it is no longer idle after it.
	 */
	public void shardTaken() {
		this.last.set(null);
	}

	/**
	 * Forgets the end if it is still the given one: the shards that follow it are taken.
	 * @param end the end that was handed off
	 */
	void handedOff(ShardEnd end) {
		this.last.compareAndSet(end, null);
	}

	/**
	 * Returns the end remembered.
	 * @return the last shard end, or {@code null}
	 */
	public ShardEnd get() {
		return this.last.get();
	}

	/**
	 * A shard whose end this instance checkpointed.
	 *
	 * @param shardId the shard
	 * @param endedAt when its end was checkpointed
	 */
	public record ShardEnd(String shardId, Instant endedAt) {
	}

}
