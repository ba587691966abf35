package io.dynamotrigger.config;

import java.time.Duration;

/**
 * How a table's consumer paces its GetRecords calls, on every shard of the table's stream.
 *
 * <p>Whatever the mode, a failed or throttled read is followed by a pause of 250 ms that doubles with
 * each further failure up to 10 s, until a read succeeds.
 *
 * @param mode the pacing rule
 * @param restInterval {@link PollingMode#ADAPTIVE}: the longest pause between two reads, reached after a
 * few empty reads; it sets the calls per second per shard while no records arrive; positive
 * @param fixedInterval {@link PollingMode#FIXED}: the pause after a read that returned records; after an
 * empty read the pause is twice as long; not negative
 */
public record PollingSettings(PollingMode mode, Duration restInterval, Duration fixedInterval) {

}
