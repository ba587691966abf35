package io.dynamotrigger.listener;

import java.util.List;

/**
 * Knows, for one batch whose records finish in any order, the last record before which every record is
 * done: the furthest a checkpoint may go without leaving a gap.
 */
final class CheckpointTracker {

	private final List<String> sequenceNumbers;

	private final boolean[] done;

	private int frontier;

	/**
	 * Tracks a batch.
	 * @param sequenceNumbers the batch's sequence numbers, in stream order
	 */
	CheckpointTracker(List<String> sequenceNumbers) {
		this.sequenceNumbers = List.copyOf(sequenceNumbers);
		this.done = new boolean[sequenceNumbers.size()];
	}

	/**
	 * Marks a record done.
	 * @param index its position in the batch
	 */
	synchronized void done(int index) {
		this.done[index] = true;
		while (this.frontier < this.done.length && this.done[this.frontier]) {
			this.frontier++;
		}
	}

	/**
	 * Returns the sequence number a checkpoint may go to.
	 * @return the last record of the done prefix of the batch, or {@code null} if its first record is not done
	 */
	synchronized String lastContiguousDone() {
		return (this.frontier > 0) ? this.sequenceNumbers.get(this.frontier - 1) : null;
	}

}
