package io.dynamotrigger.listener;

/**
 * Lets a table's shards take their next read, or holds them: a table stopped within the shared KCL
 * application keeps its leases (KCL cannot give up one stream's leases while the scheduler runs) and so holds
 * each shard before its next read until the table is started again or the application stops. A table with a
 * KCL application of its own stops its scheduler instead and never closes its gate.
 */
final class ReadGate {

	private static final long CHECK_MILLIS = 200;

	private volatile boolean open = true;

	boolean isOpen() {
		return this.open;
	}

	void open(boolean open) {
		this.open = open;
	}

	/**
	 * Waits until the gate is open or the consumer stops.
	 * @param stop the consumer's stop signal
	 */
	void awaitOpen(StopSignal stop) {
		while (!this.open && !stop.isStopped()) {
			stop.await(CHECK_MILLIS);
		}
	}

}
