package io.dynamotrigger.listener;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * Tells whether a consumer's lease table answers. KCL renews leases and checkpoints there; when it does not
 * answer (an outage, missing permissions, the table deleted) the consumer soon holds no lease, which by
 * itself looks like an instance that simply owns no shard. One DescribeTable at most every 5 seconds,
 * bounded at 2 seconds, however often health is asked.
 */
final class LeaseTableProbe {

	private static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(5);

	private static final long TIMEOUT_MILLIS = 2_000;

	private final DynamoDbAsyncClient dynamoDb;

	private final String leaseTable;

	private long checkedAtNanos;

	private String problem;

	private boolean checked;

	LeaseTableProbe(DynamoDbAsyncClient dynamoDb, String leaseTable) {
		this.dynamoDb = dynamoDb;
		this.leaseTable = leaseTable;
	}

	/**
	 * Returns what is wrong with the lease table, from a recent check.
	 * @return the problem, or {@code null} when the table answered
	 */
	synchronized String problem() {
		long now = System.nanoTime();
		if (this.checked && now - this.checkedAtNanos < CACHE_NANOS) {
			return this.problem;
		}
		this.problem = check();
		this.checked = true;
		this.checkedAtNanos = System.nanoTime();
		return this.problem;
	}

	private String check() {
		try {
			this.dynamoDb.describeTable((request) -> request.tableName(this.leaseTable))
				.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
			return null;
		}
		catch (ExecutionException ex) {
			return "lease table " + this.leaseTable + " unreachable: " + ex.getCause();
		}
		catch (TimeoutException ex) {
			return "lease table " + this.leaseTable + " did not answer within " + TIMEOUT_MILLIS + " ms";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted while checking lease table " + this.leaseTable;
		}
	}

}
