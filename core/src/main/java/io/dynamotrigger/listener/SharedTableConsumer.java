package io.dynamotrigger.listener;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.dynamotrigger.config.TableConsumerSettings;
import io.dynamotrigger.config.TableStream;
import io.dynamotrigger.error.DeadLetterHandler;
import io.dynamotrigger.kcl.SharedStream;
import io.dynamotrigger.lease.LastShardEnd;
import io.dynamotrigger.metrics.TriggerMetrics;
import io.dynamotrigger.status.ShardStall;
import io.dynamotrigger.status.ShardStatus;
import io.dynamotrigger.status.TriggerState;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.leases.Lease;

/**
 * One table's part of the shared KCL application: the shards of the table's stream that the application's
 * scheduler leases get a {@link ShardProcessor} of this table, with its triggers, concurrency and record
 * pipeline. Starting and stopping act on the table alone: a stopped table's shards finish the read in
 * progress and then hold before the next one ({@link ReadGate}), keeping their leases and checkpoints, until
 * the table is started again; only the application's stop gives the leases back.
 */
final class SharedTableConsumer implements TableConsumer {

	private static final Logger log = LoggerFactory.getLogger(SharedTableConsumer.class);

	private final String table;

	private final List<ActiveTrigger> triggers;

	private final SharedStream stream;

	private final String leaseKeyPrefix;

	private final SharedKclApplication application;

	private final ReadGate gate = new ReadGate();

	private final TableShards shards = new TableShards();

	private final LastShardEnd lastShardEnd = new LastShardEnd();

	private final StallRules stallRules;

	private final List<String> triggerIds;

	private final RecordPipeline pipeline;

	private final TriggerMetrics metrics;

	private final int concurrency;

	private final String partitionKey;

	/**
	 * Creates a table's part of the shared application, stopped until {@link #start()}, and adds it to the
	 * application.
	 * @param table the table
	 * @param triggers its triggers, in calling order
	 * @param settings how it is read
	 * @param stream the table's stream and partition key
	 * @param perTableLeaseTable the table's lease table in per-table mode, whose checkpoints are carried over
	 * @param application the shared application
	 * @param deadLetters where records go that a trigger gives up on
	 * @param observations observes each trigger call
	 * @param metrics records what the shards and triggers do
	 * @param stallTimeout how long a shard may make no progress before it counts as stalled
	 */
	SharedTableConsumer(String table, List<ActiveTrigger> triggers, TableConsumerSettings settings, TableStream stream,
			String perTableLeaseTable, SharedKclApplication application, DeadLetterHandler deadLetters, ObservationRegistry observations,
			TriggerMetrics metrics, Duration stallTimeout) {
		this.table = table;
		this.triggers = List.copyOf(triggers);
		this.stream = new SharedStream(table, stream.streamArn(), settings, perTableLeaseTable);
		this.leaseKeyPrefix = this.stream.leaseKeyPrefix();
		this.application = application;
		this.stallRules = StallRules.of(stallTimeout, this.triggers);
		this.triggerIds = this.triggers.stream().map(ActiveTrigger::id).toList();
		StopSignal stop = application.stopSignal();
		this.pipeline = new RecordPipeline(table, this.triggers, new RetryingDeadLetterPublisher(deadLetters,
				RetryingDeadLetterPublisher.DEFAULT_BACK_OFF, stop), stop, Clock.systemUTC(), observations);
		this.metrics = metrics;
		this.concurrency = settings.concurrency();
		this.partitionKey = stream.partitionKey();
		this.gate.open(false);
		application.add(this);
		metrics.stalledShards(table, this::stalledShards);
	}

	SharedStream stream() {
		return this.stream;
	}

	/**
	 * Creates the processor of one of the table's shards, which the application's scheduler leased.
	 */
	ShardProcessor processor() {
		return new ShardProcessor(this.table, this.triggerIds, this.pipeline, this.application.stopSignal(),
				this.metrics, this.shards.byId(), Clock.systemUTC(), this.concurrency, this.partitionKey, this.lastShardEnd,
				this.gate);
	}

	@Override
	public String table() {
		return this.table;
	}

	@Override
	public List<ActiveTrigger> triggers() {
		return this.triggers;
	}

	@Override
	public String leaseTable() {
		return this.application.leaseTable();
	}

	@Override
	public RecordPipeline pipeline() {
		return this.pipeline;
	}

	/**
	 * Lets the table's shards take reads again; they go on from where they held.
	 */
	@Override
	public void start() {
		this.gate.open(true);
		if (this.application.state() == TriggerState.STOPPED) {
			// At the application's start, whose one line names every table.
			log.debug("Reading table {} in the shared KCL application {}", this.table, this.application.leaseTable());
		}
		else {
			// Started at run time: after a stop, or at last when it was not started with the application.
			log.info("Reading table {} in the shared KCL application {}", this.table, this.application.leaseTable());
		}
	}

	/**
	 * Holds the table's shards before their next read; the read in progress finishes and is checkpointed.
	 * The leases stay with this instance.
	 */
	@Override
	public void stop() {
		this.gate.open(false);
		log.info("Stopped reading table {}: its shards hold their leases in the shared KCL application {} and read"
				+ " on when it is started again", this.table, this.application.leaseTable());
	}

	@Override
	public TriggerState state() {
		TriggerState state = this.application.state();
		return (state == TriggerState.RUNNING && !this.gate.isOpen()) ? TriggerState.STOPPED : state;
	}

	@Override
	public LastShardEnd lastShardEnd() {
		return this.lastShardEnd;
	}

	@Override
	public List<ShardStatus> shards() {
		Map<String, Long> renewedNanos = new HashMap<>();
		for (Lease lease : this.application.assignments()) {
			if (lease.lastCounterIncrementNanos() != null && lease.leaseKey().startsWith(this.leaseKeyPrefix)) {
				renewedNanos.put(lease.leaseKey().substring(this.leaseKeyPrefix.length()),
						lease.lastCounterIncrementNanos());
			}
		}
		return this.shards.statuses(renewedNanos, stallRules());
	}

	private int stalledShards(ShardStall.Kind kind) {
		return this.shards.stalled(kind, stallRules());
	}

	/**
	 * No stall while the table is stopped (it holds the shards), a trigger of the table waits for its backfill
	 * (it holds them too) or the application does not run; no checkpoint stall while a trigger of the table is
	 * paused (its held records hold the checkpoint).
	 */
	private StallRules stallRules() {
		if (state() != TriggerState.RUNNING || this.triggers.stream().anyMatch(ActiveTrigger::isHeldByBackfill)) {
			return StallRules.NEVER;
		}
		boolean paused = this.triggers.stream().anyMatch(ActiveTrigger::isPaused);
		return paused ? this.stallRules.whilePaused() : this.stallRules;
	}

}
