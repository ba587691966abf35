package io.dynamotrigger.listener;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Consumer;

import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.processor.Checkpointer;
import software.amazon.kinesis.processor.PreparedCheckpointer;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

/**
 * Plays KCL's checkpointer of one shard: {@code checkpoint(sequenceNumber)} records the sequence number,
 * {@code checkpoint()} records the largest position KCL permits, which is {@code SHARD_END} in the input
 * of {@code shardEnded}. Each checkpoint is also told to a listener, so that a test can put it in one
 * sequence with the handler's calls. Failures queued with {@link #failNext} are thrown instead, one per
 * call. The processor must call no other method.
 */
final class RecordingCheckpointer implements RecordProcessorCheckpointer {

	static final String SHARD_END = ExtendedSequenceNumber.SHARD_END.sequenceNumber();

	private final String largestPermitted;

	private final Consumer<String> listener;

	private final Queue<Exception> failures = new ArrayDeque<>();

	RecordingCheckpointer(String largestPermitted, Consumer<String> listener) {
		this.largestPermitted = largestPermitted;
		this.listener = listener;
	}

	/**
	 * A checkpointer as KCL passes it to {@code shardEnded}.
	 */
	static RecordingCheckpointer atShardEnd(Consumer<String> listener) {
		return new RecordingCheckpointer(SHARD_END, listener);
	}

	/**
	 * A checkpointer as KCL passes it to {@code processRecords}, where {@code checkpoint()} is not used.
	 */
	static RecordingCheckpointer forRecords(Consumer<String> listener) {
		return new RecordingCheckpointer(null, listener);
	}

	/**
	 * Makes the next checkpoint fail as KCL's can: {@code ShutdownException} (lease moved),
	 * {@code InvalidStateException}, or unchecked ({@code ThrottlingException}, a wrapped SDK failure).
	 */
	void failNext(Exception failure) {
		this.failures.add(failure);
	}

	@Override
	public void checkpoint() throws InvalidStateException, ShutdownException {
		if (this.largestPermitted == null) {
			throw new UnsupportedOperationException("checkpoint() outside shardEnded");
		}
		record(this.largestPermitted);
	}

	@Override
	public void checkpoint(String sequenceNumber) throws InvalidStateException, ShutdownException {
		record(sequenceNumber);
	}

	private void record(String position) throws InvalidStateException, ShutdownException {
		Exception failure = this.failures.poll();
		if (failure instanceof InvalidStateException invalid) {
			throw invalid;
		}
		if (failure instanceof ShutdownException shutdown) {
			throw shutdown;
		}
		if (failure instanceof RuntimeException unchecked) {
			throw unchecked;
		}
		this.listener.accept(position);
	}

	@Override
	public void checkpoint(Record record) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void checkpoint(String sequenceNumber, long subSequenceNumber) {
		throw new UnsupportedOperationException();
	}

	@Override
	public PreparedCheckpointer prepareCheckpoint() {
		throw new UnsupportedOperationException();
	}

	@Override
	public PreparedCheckpointer prepareCheckpoint(byte[] applicationState) {
		throw new UnsupportedOperationException();
	}

	@Override
	public PreparedCheckpointer prepareCheckpoint(Record record) {
		throw new UnsupportedOperationException();
	}

	@Override
	public PreparedCheckpointer prepareCheckpoint(Record record,
			byte[] applicationState) {
		throw new UnsupportedOperationException();
	}

	@Override
	public PreparedCheckpointer prepareCheckpoint(String sequenceNumber) {
		throw new UnsupportedOperationException();
	}

	@Override
	public PreparedCheckpointer prepareCheckpoint(String sequenceNumber, byte[] applicationState) {
		throw new UnsupportedOperationException();
	}

	@Override
	public PreparedCheckpointer prepareCheckpoint(String sequenceNumber, long subSequenceNumber) {
		throw new UnsupportedOperationException();
	}

	@Override
	public PreparedCheckpointer prepareCheckpoint(String sequenceNumber, long subSequenceNumber,
			byte[] applicationState) {
		throw new UnsupportedOperationException();
	}

	@Override
	public Checkpointer checkpointer() {
		throw new UnsupportedOperationException();
	}

}
