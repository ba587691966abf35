package io.dynamotrigger.config;

/**
 * How many KCL applications (a lease table, KCL's coordinator-state and worker-metrics tables, and a
 * scheduler) an application runs for its triggered tables.
 */
public enum KclApplicationMode {

	/**
	 * One KCL application per table: lease table {@code <application-name>-<table>}, a scheduler of its own;
	 * each table's consumer starts and stops on its own and hands its leases back when it stops.
	 */
	PER_TABLE,

	/**
	 * One KCL application for all tables (KCL's multi-stream mode): lease table {@code <application-name>},
	 * one scheduler reading every table's stream; lease keys carry the stream, so a replaced stream gets new
	 * leases. A table stopped at runtime keeps its leases and holds its shards until it is started again.
	 */
	SHARED

}
