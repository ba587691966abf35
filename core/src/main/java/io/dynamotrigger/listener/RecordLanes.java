package io.dynamotrigger.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Handles the records of one shard's read on several lanes at once. A record's lane follows from its
 * partition key, as with Lambda's parallelization factor, so the changes of all items that share a partition
 * key stay in stream order; each record is marked done with the shard's {@link ShardCheckpointer}, which
 * moves the checkpoint only over records before which all are done.
 */
final class RecordLanes {

	private final List<ExecutorService> lanes;

	private final String partitionKey;

	/**
	 * Starts the lanes of one shard.
	 * @param table the table, for thread names
	 * @param shardId the shard, for thread names
	 * @param concurrency how many lanes
	 * @param partitionKey the name of the table's partition key attribute
	 */
	RecordLanes(String table, String shardId, int concurrency, String partitionKey) {
		this.partitionKey = partitionKey;
		this.lanes = new ArrayList<>(concurrency);
		for (int i = 0; i < concurrency; i++) {
			String name = "dynamo-trigger-" + table + "-" + shardId + "-lane-" + i;
			this.lanes.add(Executors.newSingleThreadExecutor((task) -> {
				Thread thread = new Thread(task, name);
				thread.setDaemon(true);
				return thread;
			}));
		}
	}

	/**
	 * Handles a read and waits until every record is done or given up.
	 * @param records the read
	 * @param handler handles one record; returns whether it is done
	 * @param checkpointer where each record that is done is marked
	 * @throws InterruptedException if interrupted while waiting
	 */
	void handle(List<DynamoDBStreamsClientRecord> records, RecordHandler handler, ShardCheckpointer checkpointer)
			throws InterruptedException {
		CountDownLatch finished = new CountDownLatch(records.size());
		for (int i = 0; i < records.size(); i++) {
			int index = i;
			DynamoDBStreamsClientRecord record = records.get(i);
			ExecutorService lane = this.lanes.get(Math.floorMod(laneKey(record).hashCode(), this.lanes.size()));
			lane.execute(() -> {
				try {
					if (handler.handle(record, index)) {
						checkpointer.recordDone(index);
					}
				}
				finally {
					finished.countDown();
				}
			});
		}
		finished.await();
	}

	/**
	 * Returns what decides a record's lane: its partition key's value (a stream record always carries the
	 * item's keys).
	 */
	private Object laneKey(DynamoDBStreamsClientRecord record) {
		Map<String, AttributeValue> keys = record.getRecord().dynamodb().keys();
		AttributeValue partition = keys.get(this.partitionKey);
		return (partition != null) ? partition : keys;
	}

	void close() {
		this.lanes.forEach(ExecutorService::shutdown);
		for (ExecutorService lane : this.lanes) {
			try {
				lane.awaitTermination(1, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/**
	 * Handles one record on a lane.
	 */
	@FunctionalInterface
	interface RecordHandler {

		/**
		 * @param record the record
		 * @param index its index in the read
		 * @return whether it is done
		 */
		boolean handle(DynamoDBStreamsClientRecord record, int index);

	}

}
