package io.dynamotrigger.config;

/**
 * How a table's consumer paces the GetRecords calls it makes on each shard of the stream.
 */
public enum PollingMode {

	/**
	 * Reads again at once after a read that returned records; after empty reads waits longer step by step,
	 * up to the rest interval. Low latency while records flow, few calls while none do.
	 */
	ADAPTIVE,

	/**
	 * The DynamoDB Streams Kinesis Adapter's own rule: a fixed pause after a read that returned records,
	 * twice that after an empty read.
	 */
	FIXED

}
