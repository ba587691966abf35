package io.dynamotrigger;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Thrown by a batch trigger ({@code List<ItemChange<T>>}) to report which records of the batch failed:
 * the others count as handled and are not delivered again; only the failed ones are retried (as a smaller
 * batch, in their order) and, when the retries are used up, dead-lettered. This is the counterpart of
 * Lambda's {@code ReportBatchItemFailures}.
 */
public class BatchFailureException extends RuntimeException {

	private final Set<String> failedSequenceNumbers;

	/**
	 * Reports failed records by sequence number.
	 * @param failedSequenceNumbers the sequence numbers of the records that failed
	 * @param cause why they failed, or {@code null}
	 */
	public BatchFailureException(Collection<String> failedSequenceNumbers, Throwable cause) {
		super(failedSequenceNumbers.size() + " record(s) of the batch failed" + ((cause != null) ? ": " + cause : ""),
				cause);
		this.failedSequenceNumbers = Set.copyOf(failedSequenceNumbers);
	}

	/**
	 * Reports failed records.
	 * @param failed the changes that failed
	 * @param cause why they failed, or {@code null}
	 * @return the exception to throw
	 */
	public static BatchFailureException of(Collection<? extends ItemChange<?>> failed, Throwable cause) {
		List<String> sequenceNumbers = failed.stream().map(ItemChange::sequenceNumber).toList();
		return new BatchFailureException(sequenceNumbers, cause);
	}

	/**
	 * Returns the sequence numbers of the failed records.
	 * @return the failed records' sequence numbers
	 */
	public Set<String> failedSequenceNumbers() {
		return this.failedSequenceNumbers;
	}

}
