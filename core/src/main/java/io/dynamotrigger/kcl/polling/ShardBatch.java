package io.dynamotrigger.kcl.polling;

import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.retrieval.BatchUniqueIdentifier;
import software.amazon.kinesis.retrieval.RecordsRetrieved;

/**
 * One read of a shard as {@link PooledShardReader} hands it to KCL, with where reading goes on after it.
 *
 * @param processRecordsInput the records and what KCL's processor is told about them
 * @param lastSequenceNumber the sequence number of the last record read so far, this read included
 * @param nextIterator the iterator of the read after this one; {@code null} at the shard's end
 * @param batchUniqueIdentifier tells this read from the others in KCL's acknowledgement
 */
record ShardBatch(ProcessRecordsInput processRecordsInput, String lastSequenceNumber, String nextIterator,
		BatchUniqueIdentifier batchUniqueIdentifier) implements RecordsRetrieved {
}
