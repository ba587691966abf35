package io.dynamotrigger.metrics;

/**
 * What one GetRecords call of a shard's reader returned, as counted by {@code dynamo.trigger.getrecords}.
 */
public enum ReadResult {

	/** Records. */
	RECORDS,

	/** No records: the shard was at rest. */
	EMPTY,

	/** DynamoDB Streams throttled the call. */
	THROTTLED,

	/** The call failed for another reason. */
	FAILED

}
