package io.dynamotrigger.bench;

/**
 * A stream consumer under measurement: started on a table, it records every item its handler receives.
 */
interface BenchConsumer {

	/**
	 * Starts consuming the table's stream from its oldest record.
	 * @param table the table
	 * @param arrivals where the handler records items
	 */
	void start(String table, Arrivals arrivals);

	/**
	 * Stops consuming.
	 */
	void stop();

	/**
	 * Names the consumer in the report.
	 * @return the name
	 */
	String name();

	/**
	 * Names the consumer in its tables' and KCL applications' names: lower case letters and dashes.
	 * @return the key
	 */
	String key();

}
