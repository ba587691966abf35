package io.dynamotrigger.bench;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the requests an application's AWS clients send, each attempt as it goes on the wire (retries
 * included), by what they are for: stream reads, the lease table, KCL's coordinator-state and
 * worker-metrics tables, and the rest.
 */
final class RequestCounter implements ExecutionInterceptor {

	/** What a request is for, in the order the report lists them. */
	enum Purpose {

		GET_RECORDS("GetRecords"), STREAM_METADATA("DescribeStream/GetShardIterator"),
		LEASE_READS("lease table reads"), LEASE_WRITES("lease table writes"), COORDINATOR("coordinator state"),
		WORKER_METRICS("worker metrics"), OTHERS("others");

		private final String label;

		Purpose(String label) {
			this.label = label;
		}

		String label() {
			return this.label;
		}

	}

	private static final Set<String> STREAM_METADATA = Set.of("DescribeStream", "GetShardIterator", "ListStreams");

	private static final Set<String> ITEM_READS = Set.of("GetItem", "BatchGetItem", "Query", "Scan");

	private static final Set<String> ITEM_WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem");

	/** The lease table of the shared KCL application: the application's name. */
	private final String sharedLeaseTable;

	private final String leaseTablePrefix;

	private final Map<String, LongAdder> byOperation = new ConcurrentHashMap<>();

	/**
	 * @param applicationName the application's {@code dynamo-trigger.application-name}: its lease tables are
	 * named {@code <application-name>-<table>}
	 */
	RequestCounter(String applicationName) {
		this.sharedLeaseTable = applicationName;
		this.leaseTablePrefix = applicationName + "-";
	}

	@Override
	public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
		String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
		String table = context.request().getValueForField("TableName", String.class).orElse("");
		this.byOperation.computeIfAbsent(purpose(operation, table) + " " + operation, (key) -> new LongAdder())
			.increment();
	}

	private Purpose purpose(String operation, String table) {
		if ("GetRecords".equals(operation)) {
			return Purpose.GET_RECORDS;
		}
		if (STREAM_METADATA.contains(operation)) {
			return Purpose.STREAM_METADATA;
		}
		if (table.endsWith("-CoordinatorState")) {
			return Purpose.COORDINATOR;
		}
		if (table.endsWith("-WorkerMetricStats")) {
			return Purpose.WORKER_METRICS;
		}
		if (table.equals(this.sharedLeaseTable)
				|| (table.startsWith(this.leaseTablePrefix) && !table.endsWith("-dead-letters"))) {
			return ITEM_WRITES.contains(operation) ? Purpose.LEASE_WRITES : Purpose.LEASE_READS;
		}
		return Purpose.OTHERS;
	}

	/**
	 * Returns the requests counted so far.
	 * @return a copy: requests by purpose and operation, e.g. {@code LEASE_READS Scan}
	 */
	RequestCounts snapshot() {
		Map<String, Long> copy = new TreeMap<>();
		this.byOperation.forEach((key, count) -> copy.put(key, count.sum()));
		return new RequestCounts(copy);
	}

	/**
	 * Requests counted at one moment.
	 *
	 * @param byOperation requests by purpose and operation ({@code <PURPOSE> <Operation>})
	 */
	record RequestCounts(Map<String, Long> byOperation) {

		/**
		 * Returns the requests counted after an earlier reading.
		 * @param earlier the earlier reading
		 * @return the difference
		 */
		RequestCounts since(RequestCounts earlier) {
			Map<String, Long> difference = new TreeMap<>();
			this.byOperation.forEach((key, count) -> {
				long added = count - earlier.byOperation.getOrDefault(key, 0L);
				if (added > 0) {
					difference.put(key, added);
				}
			});
			return new RequestCounts(difference);
		}

		long of(Purpose purpose) {
			return sum((key) -> key.startsWith(purpose.name() + " "));
		}

		/**
		 * Read request units, counting every item read as one (a strongly consistent read of up to 4 KB; KCL's
		 * lease, coordinator and worker-metrics items and an idle lease table's scan stay below that, so this
		 * is an upper bound); DescribeTable and the stream calls are not item reads.
		 */
		long readUnits() {
			return sum((key) -> ITEM_READS.contains(operation(key)));
		}

		/** Write request units, counting every item write as one (items of up to 1 KB). */
		long writeUnits() {
			return sum((key) -> ITEM_WRITES.contains(operation(key)));
		}

		private static String operation(String key) {
			return key.substring(key.indexOf(' ') + 1);
		}

		private long sum(Predicate<String> keys) {
			return this.byOperation.entrySet()
				.stream()
				.filter((entry) -> keys.test(entry.getKey()))
				.mapToLong(Map.Entry::getValue)
				.sum();
		}

	}

}
