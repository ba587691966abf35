package io.dynamotrigger.listener;

/**
 * Tells a table consumer's record path that the consumer is stopping, and wakes what waits for a retry, a
 * dead letter or a paused trigger. Its consumer owns it; a runtime that never stops (a Lambda invocation)
 * has one that is never set.
 */
public final class StopSignal {

	private volatile boolean stopped;

	/**
	 * Tells whether the consumer is stopping; no record is started after that, but for a batch trigger's
	 * last chance.
	 * @return whether {@link #stop()} was called
	 */
	public boolean isStopped() {
		return this.stopped;
	}

	/**
	 * Stops: whatever waits gives up, leaving its record not done.
	 */
	public synchronized void stop() {
		this.stopped = true;
		notifyAll();
	}

	/**
	 * Waits for the given time unless the consumer stops first.
	 * @param millis how long
	 * @return whether the consumer stopped
	 */
	synchronized boolean await(long millis) {
		long deadline = System.nanoTime() + millis * 1_000_000;
		long left = millis;
		while (!this.stopped && left > 0) {
			try {
				wait(left);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return true;
			}
			left = (deadline - System.nanoTime()) / 1_000_000;
		}
		return this.stopped;
	}

}
