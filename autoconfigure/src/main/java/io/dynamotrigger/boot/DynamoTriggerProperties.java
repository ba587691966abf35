package io.dynamotrigger.boot;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.dynamotrigger.config.PollingMode;
import io.dynamotrigger.config.StartingPosition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.util.Assert;

/**
 * Configuration of dynamo-trigger, under {@code dynamo-trigger.*}.
 */
@ConfigurationProperties("dynamo-trigger")
public class DynamoTriggerProperties {

	/** Whether triggers run at all. */
	private boolean enabled = true;

	/**
	 * Prefix of the lease table names: a table's lease table is {@code <application-name>-<table>}. Defaults
	 * to {@code spring.application.name}, or "dynamo-trigger" when that is not set.
	 */
	private String applicationName;

	/** Lease table name per table name; replaced by dynamo-trigger.tables.<table>.lease-table. */
	private Map<String, String> leaseTables = new LinkedHashMap<>();

	/** Where a trigger without a checkpoint starts reading its stream. */
	private StartingPosition startingPosition = StartingPosition.TRIM_HORIZON;

	private final Polling polling = new Polling();

	/**
	 * Short lease, failover and leader-lock times (seconds instead of minutes): faster start and takeover for
	 * tests and local runs, at the cost of more DynamoDB requests. Keep off in production fleets.
	 */
	private boolean fastFailover;

	/**
	 * How long a lease may go unrenewed before another instance takes its shard over (KCL's failover time;
	 * leases are renewed every third of it). At least 1s. Defaults to KCL's 10s, or 3s with fast-failover.
	 */
	private Duration failoverTime;

	/**
	 * How long KCL's leader lock lasts without a heartbeat (heartbeats every quarter of it). The leader
	 * assigns leases: after the instance holding the lock dies, no shard is taken over before the lock runs
	 * out, so this bounds takeover time. At least 2s. Defaults to KCL's 2m, or 6s with fast-failover; shorter
	 * means more writes to the coordinator-state table.
	 */
	private Duration leaderLockDuration;

	/**
	 * How many records of one shard are handled at once (1 to 10), on lanes by item key so that the changes
	 * of one item stay in order.
	 */
	private int concurrency = 1;

	/** How long a graceful stop may take before the consumers are stopped at once. */
	private Duration shutdownTimeout = Duration.ofSeconds(10);

	private final Aws aws = new Aws();

	/** How failing triggers are called again, for all triggers. */
	private final Retry retry = Retry.defaults();

	/**
	 * Exception types (besides mapping errors) that dead-letter a record at once, for all triggers.
	 */
	private List<Class<? extends Throwable>> nonRetryableExceptions = new ArrayList<>();

	/** Records older than this are dead-lettered without a call; unset for no limit. */
	private Duration maxRecordAge;

	/**
	 * For batch triggers: split a batch that fails without naming its failed records (BatchFailureException)
	 * in halves, recursively, so that only the bad record is retried and dead-lettered.
	 */
	private boolean bisectBatchOnError;

	private final DeadLetter deadLetter = new DeadLetter();

	/** Settings of single triggers, by trigger id; they override the global ones. */
	private Map<String, Trigger> triggers = new LinkedHashMap<>();

	/** Settings of single tables' consumers, by table name; they override the global ones. */
	private Map<String, Table> tables = new LinkedHashMap<>();

	/**
	 * Whether each trigger call is wrapped in a Micrometer observation ("dynamo.trigger.process"), for
	 * tracing, when an ObservationRegistry bean exists.
	 */
	private boolean observationEnabled;

	private final Health health = new Health();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getApplicationName() {
		return this.applicationName;
	}

	public void setApplicationName(String applicationName) {
		this.applicationName = applicationName;
	}

	@Deprecated
	@DeprecatedConfigurationProperty(replacement = "dynamo-trigger.tables.<table>.lease-table",
			reason = "One place for all settings of a table")
	public Map<String, String> getLeaseTables() {
		return this.leaseTables;
	}

	@Deprecated
	public void setLeaseTables(Map<String, String> leaseTables) {
		this.leaseTables = leaseTables;
	}

	public StartingPosition getStartingPosition() {
		return this.startingPosition;
	}

	public void setStartingPosition(StartingPosition startingPosition) {
		this.startingPosition = startingPosition;
	}

	public Polling getPolling() {
		return this.polling;
	}

	@Deprecated
	@DeprecatedConfigurationProperty(replacement = "dynamo-trigger.polling.fixed-interval",
			reason = "Applies to dynamo-trigger.polling.mode=fixed only")
	public Duration getPollInterval() {
		return this.polling.getFixedInterval();
	}

	@Deprecated
	public void setPollInterval(Duration pollInterval) {
		this.polling.setFixedInterval(pollInterval);
	}

	public boolean isFastFailover() {
		return this.fastFailover;
	}

	public void setFastFailover(boolean fastFailover) {
		this.fastFailover = fastFailover;
	}

	public Duration getFailoverTime() {
		return this.failoverTime;
	}

	public void setFailoverTime(Duration failoverTime) {
		this.failoverTime = failoverTime;
	}

	public Duration getLeaderLockDuration() {
		return this.leaderLockDuration;
	}

	public void setLeaderLockDuration(Duration leaderLockDuration) {
		this.leaderLockDuration = leaderLockDuration;
	}

	public int getConcurrency() {
		return this.concurrency;
	}

	public void setConcurrency(int concurrency) {
		this.concurrency = concurrency;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Aws getAws() {
		return this.aws;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public List<Class<? extends Throwable>> getNonRetryableExceptions() {
		return this.nonRetryableExceptions;
	}

	public void setNonRetryableExceptions(List<Class<? extends Throwable>> nonRetryableExceptions) {
		this.nonRetryableExceptions = nonRetryableExceptions;
	}

	public Duration getMaxRecordAge() {
		return this.maxRecordAge;
	}

	public void setMaxRecordAge(Duration maxRecordAge) {
		this.maxRecordAge = maxRecordAge;
	}

	public boolean isBisectBatchOnError() {
		return this.bisectBatchOnError;
	}

	public void setBisectBatchOnError(boolean bisectBatchOnError) {
		this.bisectBatchOnError = bisectBatchOnError;
	}

	public DeadLetter getDeadLetter() {
		return this.deadLetter;
	}

	public boolean isObservationEnabled() {
		return this.observationEnabled;
	}

	public void setObservationEnabled(boolean observationEnabled) {
		this.observationEnabled = observationEnabled;
	}

	public Health getHealth() {
		return this.health;
	}

	public Map<String, Table> getTables() {
		return this.tables;
	}

	public void setTables(Map<String, Table> tables) {
		this.tables = tables;
	}

	public Map<String, Trigger> getTriggers() {
		return this.triggers;
	}

	public void setTriggers(Map<String, Trigger> triggers) {
		this.triggers = triggers;
	}

	/**
	 * How each shard's GetRecords calls are paced. One consumer reads all triggers of a table, so these
	 * apply to all tables alike.
	 */
	public static class Polling {

		/**
		 * "adaptive": read again at once while reads return records, and after empty reads back off step by
		 * step to the rest interval. "fixed": the adapter's rule, a fixed pause after reads with records and
		 * twice that after empty reads.
		 */
		private PollingMode mode = PollingMode.ADAPTIVE;

		/**
		 * Adaptive mode: the longest pause between two reads of a shard, reached within about half a second
		 * without records. Sets the calls per second per shard at rest: 250ms gives 4.
		 */
		private Duration restInterval = Duration.ofMillis(250);

		/** Fixed mode: pause after a read that returned records; twice that after an empty read. */
		private Duration fixedInterval = Duration.ofMillis(250);

		public PollingMode getMode() {
			return this.mode;
		}

		public void setMode(PollingMode mode) {
			this.mode = mode;
		}

		public Duration getRestInterval() {
			return this.restInterval;
		}

		public void setRestInterval(Duration restInterval) {
			Assert.isTrue(!restInterval.isNegative() && !restInterval.isZero(),
					"dynamo-trigger.polling.rest-interval must be positive");
			this.restInterval = restInterval;
		}

		public Duration getFixedInterval() {
			return this.fixedInterval;
		}

		public void setFixedInterval(Duration fixedInterval) {
			Assert.isTrue(!fixedInterval.isNegative(), "dynamo-trigger.polling.fixed-interval must not be negative");
			this.fixedInterval = fixedInterval;
		}

	}

	/**
	 * Exponential back-off between calls of a failing trigger. Unset values of a single trigger's retry
	 * take the global ones.
	 */
	public static class Retry {

		/** Calls of a trigger per record in all, the first included; then the record is dead-lettered. */
		private Integer maxAttempts;

		/** Pause after the first failed call. */
		private Duration initialInterval;

		/** Growth of each following pause. */
		private Double multiplier;

		/** Longest pause. */
		private Duration maxInterval;

		static Retry defaults() {
			Retry retry = new Retry();
			retry.maxAttempts = 5;
			retry.initialInterval = Duration.ofMillis(200);
			retry.multiplier = 2.0;
			retry.maxInterval = Duration.ofSeconds(5);
			return retry;
		}

		public Integer getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(Integer maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialInterval() {
			return this.initialInterval;
		}

		public void setInitialInterval(Duration initialInterval) {
			this.initialInterval = initialInterval;
		}

		public Double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(Double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxInterval() {
			return this.maxInterval;
		}

		public void setMaxInterval(Duration maxInterval) {
			this.maxInterval = maxInterval;
		}

	}

	/**
	 * Where records go that a trigger gives up on, unless the application defines a
	 * {@code DeadLetterHandler} bean.
	 */
	public static class DeadLetter {

		/** The DynamoDB table of dead letters, created when absent. Defaults to {@code <application-name>-dead-letters}. */
		private String tableName;

		/**
		 * URL of an SQS queue to send dead letters to as JSON instead of the DynamoDB table (needs
		 * software.amazon.awssdk:sqs on the classpath).
		 */
		private String sqsQueueUrl;

		public String getTableName() {
			return this.tableName;
		}

		public void setTableName(String tableName) {
			this.tableName = tableName;
		}

		public String getSqsQueueUrl() {
			return this.sqsQueueUrl;
		}

		public void setSqsQueueUrl(String sqsQueueUrl) {
			this.sqsQueueUrl = sqsQueueUrl;
		}

	}

	/**
	 * The {@code dynamoTrigger} health indicator.
	 */
	public static class Health {

		/**
		 * How long a record may stay in progress (retries included) before the health is DOWN: the shard is
		 * stalled.
		 */
		private Duration stallTimeout = Duration.ofMinutes(5);

		/**
		 * How long an instance may stay without a shard of a table after a shard of the table ended on it
		 * while shards of the table's stream wait with no worker holding their leases (the child shards KCL
		 * created when the parent ended) before the health is DOWN.
		 */
		private Duration shardEndTimeout = Duration.ofMinutes(5);

		/**
		 * How long a lease may stay held by a worker that stopped renewing it (its lease counter unchanged for
		 * longer than the failover time plus KCL's lease assignment interval: a worker killed without giving
		 * its leases up) before the health is DOWN. Until then the takeover is recovery under way: KCL's leader
		 * assigns such a lease after the failover time, or, when the dead worker held the leader lock, once
		 * that lock's lease (2 minutes, 6 seconds with fast-failover) runs out.
		 */
		private Duration takeoverTimeout = Duration.ofMinutes(5);

		public Duration getStallTimeout() {
			return this.stallTimeout;
		}

		public void setStallTimeout(Duration stallTimeout) {
			this.stallTimeout = stallTimeout;
		}

		public Duration getShardEndTimeout() {
			return this.shardEndTimeout;
		}

		public void setShardEndTimeout(Duration shardEndTimeout) {
			this.shardEndTimeout = shardEndTimeout;
		}

		public Duration getTakeoverTimeout() {
			return this.takeoverTimeout;
		}

		public void setTakeoverTimeout(Duration takeoverTimeout) {
			this.takeoverTimeout = takeoverTimeout;
		}

	}

	/**
	 * Settings of one trigger; what is unset takes the global value.
	 */
	public static class Trigger extends ConsumerProperties {

		/** Whether the trigger is called at all. */
		private boolean enabled = true;

		/**
		 * Whether the trigger's table consumer starts with the application; all triggers of a table must agree.
		 * Start it later through the dynamotriggers actuator endpoint.
		 */
		private boolean autoStartup = true;

		private final Retry retry = new Retry();

		/** Exception types that dead-letter a record at once, in addition to the global ones. */
		private List<Class<? extends Throwable>> nonRetryableExceptions = new ArrayList<>();

		/** Records older than this are dead-lettered without a call. */
		private Duration maxRecordAge;

		/** Bisect failing batches of this trigger; unset takes the global setting. */
		private Boolean bisectBatchOnError;

		/**
		 * Filter patterns (Lambda's event-filter syntax, at most 5, any may match) replacing those of the
		 * trigger's annotation.
		 */
		private List<String> filter = new ArrayList<>();

		/**
		 * Batch triggers only: the most records per call, 1 to 10000, replacing the annotation's batchSize
		 * (default 100).
		 */
		private Integer batchSize;

		/**
		 * Batch triggers only: how long the first record of a batch that is not full waits for more records of
		 * its shard, 0 to 5m, replacing the annotation's batchWindow (default 0: call after each read).
		 */
		private Duration batchWindow;

		// Settings of the trigger's table consumer (more in ConsumerProperties) and its dead letters.

		/**
		 * Fixed-interval polling of the trigger's table shards at this interval (after an empty read twice
		 * that); triggers of one table that set it must agree.
		 */
		private Duration pollInterval;

		/** Where the trigger's dead letters go, instead of the global destination. */
		private final DeadLetter deadLetter = new DeadLetter();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isAutoStartup() {
			return this.autoStartup;
		}

		public void setAutoStartup(boolean autoStartup) {
			this.autoStartup = autoStartup;
		}

		public Retry getRetry() {
			return this.retry;
		}

		public List<String> getFilter() {
			return this.filter;
		}

		public void setFilter(List<String> filter) {
			this.filter = filter;
		}

		public List<Class<? extends Throwable>> getNonRetryableExceptions() {
			return this.nonRetryableExceptions;
		}

		public void setNonRetryableExceptions(List<Class<? extends Throwable>> nonRetryableExceptions) {
			this.nonRetryableExceptions = nonRetryableExceptions;
		}

		public Boolean getBisectBatchOnError() {
			return this.bisectBatchOnError;
		}

		public void setBisectBatchOnError(Boolean bisectBatchOnError) {
			this.bisectBatchOnError = bisectBatchOnError;
		}

		public Duration getMaxRecordAge() {
			return this.maxRecordAge;
		}

		public void setMaxRecordAge(Duration maxRecordAge) {
			this.maxRecordAge = maxRecordAge;
		}

		public Integer getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(Integer batchSize) {
			this.batchSize = batchSize;
		}

		public Duration getBatchWindow() {
			return this.batchWindow;
		}

		public void setBatchWindow(Duration batchWindow) {
			this.batchWindow = batchWindow;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public DeadLetter getDeadLetter() {
			return this.deadLetter;
		}

	}

	/**
	 * Where the AWS clients that dynamo-trigger builds connect. Client beans of the application win.
	 */
	public static class Aws {

		/**
		 * Endpoint of DynamoDB and DynamoDB Streams, e.g. a local endpoint; unset for AWS. A loopback endpoint
		 * is signed with dummy credentials.
		 */
		private URI endpoint;

		/** Region; unset for the SDK's default region chain. */
		private String region;

		public URI getEndpoint() {
			return this.endpoint;
		}

		public void setEndpoint(URI endpoint) {
			this.endpoint = endpoint;
		}

		public String getRegion() {
			return this.region;
		}

		public void setRegion(String region) {
			this.region = region;
		}

	}

	/**
	 * Settings of a table's consumer that the table, or one of its triggers for the whole table, can set; what
	 * is unset takes the next level: a trigger's value wins over the table's, the table's over the global one.
	 * Triggers of one table that set a value must agree.
	 */
	public abstract static class ConsumerProperties {

		/** Lease table name of the table's consumer, instead of {@code <application-name>-<table>}. */
		private String leaseTable;

		/** Where the table's consumer starts reading a shard it has no checkpoint for. */
		private StartingPosition startingPosition;

		/** How many records of one shard are handled at once (1 to 10). */
		private Integer concurrency;

		/** How long a lease may go unrenewed before another instance takes its shard over; at least 1s. */
		private Duration failoverTime;

		public String getLeaseTable() {
			return this.leaseTable;
		}

		public void setLeaseTable(String leaseTable) {
			this.leaseTable = leaseTable;
		}

		public StartingPosition getStartingPosition() {
			return this.startingPosition;
		}

		public void setStartingPosition(StartingPosition startingPosition) {
			this.startingPosition = startingPosition;
		}

		public Integer getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(Integer concurrency) {
			this.concurrency = concurrency;
		}

		public Duration getFailoverTime() {
			return this.failoverTime;
		}

		public void setFailoverTime(Duration failoverTime) {
			this.failoverTime = failoverTime;
		}

	}

	/**
	 * Settings of one table's consumer; what is unset takes the global value. A trigger of the table that
	 * sets a value wins over the table's.
	 */
	public static class Table extends ConsumerProperties {

		private final TablePolling polling = new TablePolling();

		public TablePolling getPolling() {
			return this.polling;
		}

	}

	/**
	 * Polling of one table's shards; unset values take {@code dynamo-trigger.polling.*}.
	 */
	public static class TablePolling {

		/** "adaptive" or "fixed", as dynamo-trigger.polling.mode. */
		private PollingMode mode;

		/** Adaptive mode: the longest pause between two reads of a shard. */
		private Duration restInterval;

		/** Fixed mode: pause after a read that returned records; twice that after an empty read. */
		private Duration fixedInterval;

		public PollingMode getMode() {
			return this.mode;
		}

		public void setMode(PollingMode mode) {
			this.mode = mode;
		}

		public Duration getRestInterval() {
			return this.restInterval;
		}

		public void setRestInterval(Duration restInterval) {
			this.restInterval = restInterval;
		}

		public Duration getFixedInterval() {
			return this.fixedInterval;
		}

		public void setFixedInterval(Duration fixedInterval) {
			this.fixedInterval = fixedInterval;
		}

	}

}
