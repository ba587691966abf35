package io.dynamotrigger.test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The shape a {@link LocalDynamoDb} gives its DynamoDB streams: how many shards each stream starts
 * with, when a shard closes and what follows it, how long records stay readable and how long a
 * shard iterator lasts. The same for every stream of the server.
 * <p>
 * Whatever the values, a server started with a topology gives each enabled stream its own ARN and
 * shard ids, sequence numbers that are unique and increase across a stream, the service's JSON
 * errors ({@code ResourceNotFoundException}, {@code TrimmedDataAccessException},
 * {@code ExpiredIteratorException}) and keeps accepting writes after a stream is disabled. Each
 * record goes to the open shard whose hash key range holds its partition key, so one item's changes
 * stay in one shard lineage, in order. See {@code docs/local-endpoint.md} for what is modelled and what not.
 * <p>
 * {@link #defaults()} is the service's shape with one shard that never closes: 24 hours retention,
 * iterators expire after 15 minutes.
 * <pre>
 * StreamTopology topology = StreamTopology.builder()
 *     .shards(4)
 *     .rollOverAfterRecords(100)
 *     .rollOver(StreamTopology.RollOver.SPLIT)
 *     .retention(Duration.ofSeconds(5))
 *     .build();
 * try (LocalDynamoDb dynamoDb = LocalDynamoDb.start(topology)) { ... }
 * </pre>
 *
 * @param shards the open shards each stream starts with, at least 1; they split the partition key
 * hash space evenly
 * @param rollOverAfterRecords a shard closes once it holds this many records; 0 for never
 * @param rollOverAfter a shard closes once it is this old, empty or not; {@link Duration#ZERO} for
 * never. Every interval adds a shard per open shard even at rest, so keep short ages to short tests
 * @param rollOver what follows a shard closed by {@code rollOverAfterRecords}; a shard closed by
 * {@code rollOverAfter} always gets one child, as the service rotates its shards
 * @param retention how long a record stays readable; a closed shard disappears from
 * {@code DescribeStream} once it has been closed this long
 * @param iteratorExpiry how long a shard iterator can be used after {@code GetShardIterator} or
 * {@code GetRecords} returned it
 */
public record StreamTopology(int shards, int rollOverAfterRecords, Duration rollOverAfter, RollOver rollOver,
		Duration retention, Duration iteratorExpiry) {

	/** The service's retention of stream records. */
	public static final Duration SERVICE_RETENTION = Duration.ofHours(24);

	/** The service's lifetime of a shard iterator. */
	public static final Duration SERVICE_ITERATOR_EXPIRY = Duration.ofMinutes(15);

	/**
	 * What takes over the hash key range of a shard that closes because it holds
	 * {@link #rollOverAfterRecords()} records.
	 */
	public enum RollOver {

		/** One child shard with the whole range, as when the service rotates a shard. */
		ONE_CHILD,

		/**
		 * Two child shards with one half of the range each, as when the service splits a busy
		 * shard. A stream splits up to 64 open shards; past that a shard rolls over to one child.
		 */
		SPLIT

	}

	/**
	 * Checks the values.
	 * @throws IllegalArgumentException if a count or duration is out of range
	 */
	public StreamTopology {
		Objects.requireNonNull(rollOverAfter, "rollOverAfter");
		Objects.requireNonNull(rollOver, "rollOver");
		Objects.requireNonNull(retention, "retention");
		Objects.requireNonNull(iteratorExpiry, "iteratorExpiry");
		if (shards < 1) {
			throw new IllegalArgumentException("shards must be at least 1, was " + shards);
		}
		if (rollOverAfterRecords < 0) {
			throw new IllegalArgumentException("rollOverAfterRecords must be 0 (never) or more, was "
					+ rollOverAfterRecords);
		}
		if (rollOverAfter.isNegative()) {
			throw new IllegalArgumentException("rollOverAfter must be zero (never) or positive, was " + rollOverAfter);
		}
		if (retention.isNegative() || retention.isZero()) {
			throw new IllegalArgumentException("retention must be positive, was " + retention);
		}
		if (iteratorExpiry.isNegative() || iteratorExpiry.isZero()) {
			throw new IllegalArgumentException("iteratorExpiry must be positive, was " + iteratorExpiry);
		}
	}

	/**
	 * The service's shape with one shard per stream that never closes.
	 * @return one shard, no roll-over, {@link #SERVICE_RETENTION}, {@link #SERVICE_ITERATOR_EXPIRY}
	 */
	public static StreamTopology defaults() {
		return builder().build();
	}

	/**
	 * A builder starting from {@link #defaults()}.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/** The options of the moto server extension that models this topology. */
	List<String> serverArguments() {
		return List.of("--stream-shards", Integer.toString(this.shards),
				"--stream-roll-over-records", Integer.toString(this.rollOverAfterRecords),
				"--stream-roll-over-seconds", seconds(this.rollOverAfter),
				"--stream-roll-over", (this.rollOver == RollOver.SPLIT) ? "split" : "one-child",
				"--stream-retention-seconds", seconds(this.retention),
				"--stream-iterator-expiry-seconds", seconds(this.iteratorExpiry));
	}

	private static String seconds(Duration duration) {
		return BigDecimal.valueOf(duration.getSeconds()).add(BigDecimal.valueOf(duration.getNano(), 9)).toPlainString();
	}

	/**
	 * Builds a {@link StreamTopology}; every value starts at its {@linkplain StreamTopology#defaults() default}.
	 */
	public static final class Builder {

		private int shards = 1;

		private int rollOverAfterRecords;

		private Duration rollOverAfter = Duration.ZERO;

		private RollOver rollOver = RollOver.ONE_CHILD;

		private Duration retention = SERVICE_RETENTION;

		private Duration iteratorExpiry = SERVICE_ITERATOR_EXPIRY;

		private Builder() {
		}

		/**
		 * Sets the open shards each stream starts with.
		 * @param shards at least 1; default 1
		 * @return this builder
		 */
		public Builder shards(int shards) {
			this.shards = shards;
			return this;
		}

		/**
		 * Closes a shard once it holds this many records.
		 * @param records 0 for never (the default)
		 * @return this builder
		 */
		public Builder rollOverAfterRecords(int records) {
			this.rollOverAfterRecords = records;
			return this;
		}

		/**
		 * Closes a shard once it is this old, whether or not it received records.
		 * @param age {@link Duration#ZERO} for never (the default)
		 * @return this builder
		 */
		public Builder rollOverAfter(Duration age) {
			this.rollOverAfter = age;
			return this;
		}

		/**
		 * Sets what follows a shard closed because it is full; one closed because of its age always
		 * gets one child.
		 * @param rollOver default {@link RollOver#ONE_CHILD}
		 * @return this builder
		 */
		public Builder rollOver(RollOver rollOver) {
			this.rollOver = rollOver;
			return this;
		}

		/**
		 * Sets how long records stay readable.
		 * @param retention positive; default 24 hours
		 * @return this builder
		 */
		public Builder retention(Duration retention) {
			this.retention = retention;
			return this;
		}

		/**
		 * Sets how long a shard iterator can be used.
		 * @param expiry positive; default 15 minutes
		 * @return this builder
		 */
		public Builder iteratorExpiry(Duration expiry) {
			this.iteratorExpiry = expiry;
			return this;
		}

		/**
		 * Builds the topology.
		 * @return the topology
		 * @throws IllegalArgumentException if a value is out of range
		 */
		public StreamTopology build() {
			return new StreamTopology(this.shards, this.rollOverAfterRecords, this.rollOverAfter, this.rollOver,
					this.retention, this.iteratorExpiry);
		}

	}

}
