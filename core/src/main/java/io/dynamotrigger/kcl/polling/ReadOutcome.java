package io.dynamotrigger.kcl.polling;

/**
 * What one GetRecords call on a shard came back with.
 */
enum ReadOutcome {

	/** At least one record. */
	RECORDS,

	/** No records: the reader has caught up with the shard. */
	EMPTY,

	/** Throttled by DynamoDB Streams (the adapter reports it as ProvisionedThroughputExceededException). */
	THROTTLED,

	/** Failed for another reason: a timeout, a server error, an expired iterator. */
	FAILED

}
