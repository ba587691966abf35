package io.dynamotrigger.boot;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.dynamotrigger.config.KclApplicationMode;
import io.dynamotrigger.config.PollingMode;
import io.dynamotrigger.config.StartingPosition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.Delimiter;

/**
 * Configuration of dynamo-trigger, under {@code dynamo-trigger.*}. Settings of a table's stream consumer are
 * global or per table ({@code tables.<table>.*}); settings of a trigger are global or per trigger
 * ({@code triggers.<id>.*}). The defaults are declared here, once; the values are checked before the
 * consumers are built, and a value out of range fails the start naming its property.
 *
 * @param enabled Whether triggers run at all.
 * @param applicationName Name of the lease table ({@code <application-name>}; with kcl.application-mode
 * "per-table" the prefix of each table's lease table {@code <application-name>-<table>}) and prefix of the other
 * tables the application creates. Defaults to {@code spring.application.name}, or "dynamo-trigger" when that is
 * not set.
 * @param startingPosition Where a table's consumer starts reading a shard it has no checkpoint for.
 * @param polling How each shard's GetRecords calls are paced.
 * @param fastFailover Short lease, failover and leader-lock times (seconds instead of minutes): faster start
 * and takeover for tests and local runs, at the cost of more DynamoDB requests. Keep off in production fleets.
 * @param failoverTime How long a lease may go unrenewed before another instance takes its shard over (KCL's
 * failover time; leases are renewed every third of it). At least 1s. Defaults to KCL's 10s, or 3s with
 * fast-failover.
 * @param leaderLockDuration How long KCL's leader lock lasts without a heartbeat (heartbeats every quarter of
 * it). The leader assigns leases: after the instance holding the lock dies, no shard is taken over before the
 * lock runs out, so this bounds takeover time. At least 2s. Defaults to 12s (KCL's own is 2m), or 6s with
 * fast-failover; shorter means more writes to the coordinator-state table.
 * @param concurrency How many records of one shard are handled at once (1 to 10), on lanes by partition key so
 * that the changes of all items of one partition key stay in order.
 * @param shutdownTimeout How long a graceful stop may take before the consumers are stopped at once.
 * @param aws Where the AWS clients that dynamo-trigger builds connect.
 * @param retry How failing triggers are called again.
 * @param nonRetryableExceptions Exception types (besides mapping errors) that dead-letter a record at once.
 * @param maxRecordAge Records older than this are dead-lettered without a call; unset for no limit.
 * @param bisectBatchOnError For batch triggers: split a batch that fails without naming its failed records
 * (BatchFailureException) in halves, recursively, so that only the bad record is retried and dead-lettered.
 * @param deadLetter Where records go that a trigger gives up on.
 * @param tables Settings of single tables' consumers, by table name; they override the global ones.
 * @param triggers Settings of single triggers, by trigger id; they override the global ones.
 * @param observationEnabled Whether each trigger call is wrapped in a Micrometer observation
 * ("dynamo.trigger.process"), for tracing, when an ObservationRegistry bean exists.
 * @param health The {@code dynamoTrigger} health indicator.
 * @param kcl How the triggered tables map onto KCL applications.
 * @param pause How a trigger paused at runtime (actuator endpoint) holds its records.
 * @param backfill How backfills (a trigger's table scanned, then its stream) run.
 */
@ConfigurationProperties("dynamo-trigger")
public record DynamoTriggerProperties(@DefaultValue("true") boolean enabled, String applicationName,
		@DefaultValue("trim-horizon") StartingPosition startingPosition, @DefaultValue Polling polling,
		boolean fastFailover, Duration failoverTime, Duration leaderLockDuration, @DefaultValue("1") int concurrency,
		@DefaultValue("10s") Duration shutdownTimeout, @DefaultValue Aws aws, @DefaultValue Retry retry,
		@DefaultValue List<Class<? extends Throwable>> nonRetryableExceptions, Duration maxRecordAge,
		boolean bisectBatchOnError, @DefaultValue DeadLetter deadLetter, @DefaultValue Map<String, Table> tables,
		@DefaultValue Map<String, Trigger> triggers, boolean observationEnabled, @DefaultValue Health health,
		@DefaultValue Kcl kcl, @DefaultValue Pause pause, @DefaultValue Backfill backfill) {

	/**
	 * How a trigger paused at runtime holds its records: the shards go on reading for the table's other
	 * triggers and keep the paused trigger's records (and the shard's checkpoint before the oldest of them)
	 * until it is resumed.
	 *
	 * @param maxHeldRecords How many records a shard reads past the oldest record it holds for a paused trigger
	 * before it reads no more, for any trigger of the table, until the trigger is resumed; those records stay in
	 * memory. At least 1.
	 */
	public record Pause(@DefaultValue("10000") int maxHeldRecords) {

	}

	/**
	 * How backfills run: a trigger that asks for one ({@code backfill = "true"} on its annotation or
	 * {@code triggers.<id>.backfill}) first gets every item of its table from a scan, then its stream.
	 *
	 * @param segments How many segments a table's scan is split into, each scanned by a thread of its own (1 to
	 * 1000); the triggers' methods are called from that many threads at once.
	 * @param pageSize The most items one scan request reads (1 to 1000); a restart resumes after the last page
	 * done, so up to a page per segment may be delivered again.
	 * @param itemsPerSecond The most items a backfill reads per second, over all its segments, to leave the
	 * table's read capacity to the application; 0 for no limit. Scans read strongly consistent: about one read
	 * capacity unit per 4 KB.
	 * @param seamMargin How much earlier than the scan's start a stream record must have been written for the
	 * scan to cover it (it is then passed over): DynamoDB rounds the records' creation times down to the second
	 * and its clock is not this instance's. Stream records written after that may duplicate a backfill change.
	 * @param lockDuration How long the instance that scans holds the scan's lock without renewing it (renewed
	 * every third of it); after that another instance takes the scan over, resuming from the segments' progress.
	 * At least 1s.
	 * @param streamRetention How long the table's stream keeps its records (DynamoDB Streams: 24h). A backfill
	 * whose scan began longer ago and has not finished fails (health DOWN) and keeps holding the trigger's stream
	 * records rather than leave a gap.
	 */
	public record Backfill(@DefaultValue("4") int segments, @DefaultValue("100") int pageSize,
			@DefaultValue("500") int itemsPerSecond, @DefaultValue("2s") Duration seamMargin,
			@DefaultValue("30s") Duration lockDuration, @DefaultValue("24h") Duration streamRetention) {

	}

	/**
	 * How the triggered tables map onto KCL applications (a lease table, KCL's coordinator-state and
	 * worker-metrics tables, and a scheduler).
	 *
	 * @param applicationMode "shared" (the default): one KCL application for all tables (KCL's multi-stream mode),
	 * lease table {@code <application-name>}; tables keep their own starting position, polling and concurrency,
	 * but not a lease table or failover time of their own; a table stopped at runtime keeps its leases and holds
	 * its shards until started again. Carries each table's checkpoints over from its per-table lease table
	 * {@code <application-name>-<table>} at its first start. "per-table": one KCL application per table, lease
	 * table {@code <application-name>-<table>} (or {@code tables.<table>.lease-table}), a scheduler, threads and
	 * KCL tables of its own.
	 * @param deleteLeasesOfRemovedTablesAfter With "shared": delete the leases of tables the application no longer
	 * triggers (removed between deployments) from the lease table, this long after the leader's first check for
	 * them (a minute after the start); unset keeps them, and their checkpoints, for when a table is triggered again.
	 * @param maxReadThreads With "shared": the most threads that make GetRecords calls at once (1 to 256). The
	 * read pool keeps one and adds one while reads wait; each call holds its thread for its round trip, so 8 make
	 * about 400 calls a second at 20 ms a call (100 shards at 4 calls a second). Beyond that the shards' reads
	 * wait their turn: raise it for an instance that holds more shards, or on an endpoint with slower calls.
	 */
	public record Kcl(@DefaultValue("shared") KclApplicationMode applicationMode,
			Duration deleteLeasesOfRemovedTablesAfter, @DefaultValue("8") int maxReadThreads) {

	}

	/**
	 * How each shard's GetRecords calls are paced, for all tables or, under {@code tables.<table>.polling}, for
	 * one table.
	 *
	 * @param mode "adaptive": read again at once while reads return records, and after empty reads back off step
	 * by step to the rest interval. "fixed": the adapter's rule, a fixed pause after reads with records and twice
	 * that after empty reads.
	 * @param restInterval Adaptive mode: the longest pause between two reads of a shard, reached within about half
	 * a second without records. Sets the calls per second per shard at rest: 250ms gives 4.
	 * @param fixedInterval Fixed mode: pause after a read that returned records; twice that after an empty read.
	 */
	public record Polling(@DefaultValue("adaptive") PollingMode mode, @DefaultValue("250ms") Duration restInterval,
			@DefaultValue("250ms") Duration fixedInterval) {

	}

	/**
	 * Exponential back-off between calls of a failing trigger.
	 *
	 * @param maxAttempts Calls of a trigger per record in all, the first included; then the record is
	 * dead-lettered.
	 * @param initialInterval Pause after the first failed call.
	 * @param multiplier Growth of each following pause.
	 * @param maxInterval Longest pause.
	 */
	public record Retry(@DefaultValue("5") int maxAttempts, @DefaultValue("200ms") Duration initialInterval,
			@DefaultValue("2.0") double multiplier, @DefaultValue("5s") Duration maxInterval) {

	}

	/**
	 * The retry of one trigger; what is unset takes {@code dynamo-trigger.retry.*}.
	 *
	 * @param maxAttempts Calls per record in all, the first included; defaults to
	 * dynamo-trigger.retry.max-attempts.
	 * @param initialInterval Pause after the first failed call; defaults to dynamo-trigger.retry.initial-interval.
	 * @param multiplier Growth of each following pause; defaults to dynamo-trigger.retry.multiplier.
	 * @param maxInterval Longest pause; defaults to dynamo-trigger.retry.max-interval.
	 */
	public record TriggerRetry(Integer maxAttempts, Duration initialInterval, Double multiplier,
			Duration maxInterval) {

	}

	/**
	 * Where records go that a trigger gives up on, unless the application defines a {@code DeadLetterHandler}
	 * bean.
	 *
	 * @param tableName The DynamoDB table of dead letters, created when absent. Defaults to
	 * {@code <application-name>-dead-letters}.
	 * @param sqsQueueUrl URL of an SQS queue to send dead letters to as JSON instead of the DynamoDB table (needs
	 * software.amazon.awssdk:sqs on the classpath).
	 * @param s3Bucket An existing S3 bucket where dead letters too large for a DynamoDB item or an SQS message are
	 * kept whole as JSON, the item or message holding the object's key (needs software.amazon.awssdk:s3 on the
	 * classpath). Global only. Without it such dead letters are kept without their images.
	 */
	public record DeadLetter(String tableName, String sqsQueueUrl, String s3Bucket) {

	}

	/**
	 * The {@code dynamoTrigger} health indicator.
	 *
	 * @param stallTimeout How long a shard may make no progress before it is stalled (health DOWN, counted by
	 * dynamo.trigger.stalled): a record in progress (retries included), no read, or its checkpoint staying
	 * behind records received after it (plus the longest batch window of the table's batch triggers). Must be
	 * longer than the pause between two reads.
	 * @param shardEndTimeout How long an instance may stay without a shard of a table after a shard of the table
	 * ended on it while shards of the table's stream wait with no worker holding their leases (the child shards
	 * KCL created when the parent ended) before the health is DOWN.
	 * @param takeoverTimeout How long a lease may stay held by a worker that stopped renewing it (its lease
	 * counter unchanged for longer than the failover time plus KCL's lease assignment interval: a worker killed
	 * without giving its leases up) before the health is DOWN. Until then the takeover is recovery under way:
	 * KCL's leader assigns such a lease after the failover time, or, when the dead worker held the leader lock,
	 * once that lock's lease (leader-lock-duration: 12 seconds, 6 with fast-failover) runs out.
	 */
	public record Health(@DefaultValue("5m") Duration stallTimeout, @DefaultValue("5m") Duration shardEndTimeout,
			@DefaultValue("5m") Duration takeoverTimeout) {

	}

	/**
	 * Where the AWS clients that dynamo-trigger builds connect. Client beans of the application win.
	 *
	 * @param endpoint Endpoint of DynamoDB and DynamoDB Streams, e.g. a local endpoint; unset for AWS. A loopback
	 * endpoint is signed with dummy credentials.
	 * @param region Region; unset for the SDK's default region chain.
	 */
	public record Aws(URI endpoint, String region) {

	}

	/**
	 * Settings of one table's consumer, which reads the stream for all triggers of the table; what is unset takes
	 * the global value.
	 *
	 * @param leaseTable With kcl.application-mode "per-table" only: lease table name of the table's consumer, instead
	 * of {@code <application-name>-<table>}.
	 * @param startingPosition Where the table's consumer starts reading a shard it has no checkpoint for; defaults
	 * to dynamo-trigger.starting-position.
	 * @param concurrency How many records of one shard are handled at once (1 to 10); defaults to
	 * dynamo-trigger.concurrency.
	 * @param failoverTime With kcl.application-mode "per-table" only: how long a lease may go unrenewed before
	 * another instance takes its shard over; at least 1s; defaults to dynamo-trigger.failover-time.
	 * @param polling Polling of the table's shards; when set, its unset values take the defaults of
	 * dynamo-trigger.polling.*; unset, the table's shards are polled as dynamo-trigger.polling says.
	 */
	public record Table(String leaseTable, StartingPosition startingPosition, Integer concurrency,
			Duration failoverTime, Polling polling) {

	}

	/**
	 * Settings of one trigger; what is unset takes the global value. The trigger's table consumer is set under
	 * {@code tables.<table>.*}.
	 *
	 * @param enabled Whether the trigger is called at all.
	 * @param autoStartup Whether the trigger's table consumer starts with the application; all triggers of a table
	 * must agree. Start it later through the dynamotriggers actuator endpoint.
	 * @param retry How the trigger is called again after it failed.
	 * @param nonRetryableExceptions Exception types that dead-letter a record at once, in addition to the global
	 * ones.
	 * @param maxRecordAge Records older than this are dead-lettered without a call; defaults to
	 * dynamo-trigger.max-record-age.
	 * @param bisectBatchOnError Bisect failing batches of this trigger; defaults to
	 * dynamo-trigger.bisect-batch-on-error.
	 * @param filter Filter patterns (Lambda's event-filter syntax, at most 5, any may match) replacing those of the
	 * trigger's annotation; one pattern, or a list.
	 * @param batchSize Batch triggers only: the most records per call, 1 to 10000, replacing the annotation's
	 * batchSize (default 100).
	 * @param batchWindow Batch triggers only: how long the first record of a batch that is not full waits for more
	 * records of its shard, 0 to 5m, replacing the annotation's batchWindow (default 0: call after each read).
	 * @param deadLetter Where the trigger's dead letters go, instead of the global destination.
	 * @param backfill Whether the trigger first gets every item of its table from a scan, then its stream,
	 * replacing the annotation's backfill; see dynamo-trigger.backfill.*.
	 * @param idempotent Whether a record the trigger handled successfully is kept from being handed to it again
	 * (claimed and completed in the idempotency table, dynamo-trigger.idempotency.*), replacing the annotation's
	 * idempotent (default false).
	 */
	public record Trigger(@DefaultValue("true") boolean enabled, @DefaultValue("true") boolean autoStartup,
			@DefaultValue TriggerRetry retry, @DefaultValue List<Class<? extends Throwable>> nonRetryableExceptions,
			Duration maxRecordAge, Boolean bisectBatchOnError,
			@Delimiter(Delimiter.NONE) @DefaultValue List<String> filter, Integer batchSize, Duration batchWindow,
			@DefaultValue DeadLetter deadLetter, Boolean backfill, Boolean idempotent) {

	}

}
