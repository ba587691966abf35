package io.dynamotrigger.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that runs against the local DynamoDB and DynamoDB Streams endpoint
 * ({@link LocalDynamoDb#shared()}). See {@link LocalDynamoDbExtension} for the system properties it
 * sets and the parameters it resolves.
 * <pre>
 * &#64;LocalDynamoDbTest
 * &#64;SpringBootTest
 * class ReviewTriggerTests {
 *
 *     &#64;Test
 *     void aggregatesNewReviews(LocalDynamoDb dynamoDb) { ... }
 * }
 * </pre>
 * To test against streams with several shards, shard roll-over, trimming or iterator expiry, give
 * a {@link #topology()}: the class then gets a server of its own, started before its first test and
 * stopped after its last.
 * <pre>
 * &#64;LocalDynamoDbTest(topology = &#64;Topology(shards = 4, rollOverAfterRecords = 10, retention = "PT5S"))
 * class ShardEndTests { ... }
 * </pre>
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LocalDynamoDbExtension.class)
public @interface LocalDynamoDbTest {

	/**
	 * The shape of the streams, for a server of this class's own; none (the default) runs the class
	 * against the shared server with moto's own single-shard streams. At most one.
	 * @return the stream topology, or none
	 */
	Topology[] topology() default {};

	/**
	 * A {@link StreamTopology} in annotation form; every attribute defaults to
	 * {@link StreamTopology#defaults()}. Durations are ISO-8601, as {@link java.time.Duration#parse}
	 * reads them: {@code "PT5S"}, {@code "PT500MS"} is not valid but {@code "PT0.5S"} is.
	 */
	@Documented
	@Target({})
	@Retention(RetentionPolicy.RUNTIME)
	@interface Topology {

		/**
		 * The open shards each stream starts with.
		 * @return see {@link StreamTopology#shards()}
		 */
		int shards() default 1;

		/**
		 * A shard closes once it holds this many records; 0 for never.
		 * @return see {@link StreamTopology#rollOverAfterRecords()}
		 */
		int rollOverAfterRecords() default 0;

		/**
		 * A shard closes once it is this old; {@code "PT0S"} for never.
		 * @return see {@link StreamTopology#rollOverAfter()}
		 */
		String rollOverAfter() default "PT0S";

		/**
		 * What follows a shard that closed because it is full.
		 * @return see {@link StreamTopology#rollOver()}
		 */
		StreamTopology.RollOver rollOver() default StreamTopology.RollOver.ONE_CHILD;

		/**
		 * How long records stay readable.
		 * @return see {@link StreamTopology#retention()}
		 */
		String retention() default "PT24H";

		/**
		 * How long a shard iterator can be used.
		 * @return see {@link StreamTopology#iteratorExpiry()}
		 */
		String iteratorExpiry() default "PT15M";

	}

}
