package io.dynamotrigger.pause;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * What one shard holds for its table's per-record triggers, one {@link HeldRecords} each, in the triggers'
 * calling order. The shard's checkpoint stays before the oldest record held for any of them.
 */
public final class ShardBacklog {

	private final List<HeldRecords> byTrigger;

	/**
	 * Starts with nothing held.
	 * @param triggers how many per-record triggers the table has
	 */
	public ShardBacklog(int triggers) {
		this.byTrigger = new ArrayList<>(triggers);
		for (int i = 0; i < triggers; i++) {
			this.byTrigger.add(new HeldRecords());
		}
	}

	/**
	 * Returns what the shard holds for one trigger.
	 * @param trigger the trigger's index among the table's per-record triggers
	 * @return its held records
	 */
	public HeldRecords of(int trigger) {
		return this.byTrigger.get(trigger);
	}

	/**
	 * Returns where the held records hold the shard's checkpoint.
	 * @return the position of the oldest record held for any trigger, {@link Long#MAX_VALUE} for none
	 */
	public long firstHeld() {
		long first = Long.MAX_VALUE;
		for (HeldRecords held : this.byTrigger) {
			first = Math.min(first, held.firstHeld());
		}
		return first;
	}

	/**
	 * Returns the sequence number of the oldest record held for any trigger.
	 * @return the sequence number, or {@code null} if none is held
	 */
	public String oldestSequenceNumber() {
		Map.Entry<Long, Record> oldest = null;
		for (HeldRecords held : this.byTrigger) {
			Map.Entry<Long, Record> candidate = held.oldest();
			if (candidate != null && (oldest == null || candidate.getKey() < oldest.getKey())) {
				oldest = candidate;
			}
		}
		return (oldest != null) ? oldest.getValue().dynamodb().sequenceNumber() : null;
	}

}
