package io.dynamotrigger.reliability;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the oracle says about a run, in the manner of KCL's canary record validator.
 *
 * @param written records written
 * @param handled written records handled at least once (poison records aside)
 * @param lost written records never handled, poison records aside (they are dead-lettered)
 * @param orderViolations pairs of a key's consecutive records whose first handling happened in the wrong
 * order (within one instance by call number, across instances by wall clock)
 * @param duplicates calls beyond the first for a record
 * @param sameInstanceDuplicates calls beyond the first for a record by the same instance
 * @param callsPerInstance calls by instance
 */
record Tally(long written, long handled, long lost, long orderViolations, long duplicates,
		long sameInstanceDuplicates, Map<String, Long> callsPerInstance) {

	/**
	 * One oracle item.
	 * @param shard the shard the record was read from, empty for a call that does not say
	 * @param streamSeq the record's sequence number in the stream, empty for a call that does not say
	 */
	record Call(String key, long seq, String instance, long callNo, long at, String shard, String streamSeq) {

		boolean before(Call other) {
			return this.instance.equals(other.instance) ? this.callNo < other.callNo : this.at < other.at;
		}

	}

	/**
	 * Tallies the calls.
	 * @param written the highest sequence number written, by key
	 * @param poisoned the poison records ({@code key/seq}), which are never to be handled
	 * @param calls the calls the oracle holds
	 * @return the tally
	 */
	static Tally of(Map<String, Long> written, Set<String> poisoned, List<Call> calls) {
		Map<String, TreeMap<Long, Call>> firstCalls = new HashMap<>();
		Set<String> byInstance = new HashSet<>();
		for (Call call : calls.stream().sorted(Comparator.comparingLong(Call::at)).toList()) {
			if (call.seq() <= written.getOrDefault(call.key(), 0L)
					&& !poisoned.contains(call.key() + "/" + call.seq())) {
				firstCalls.computeIfAbsent(call.key(), (key) -> new TreeMap<>()).merge(call.seq(), call,
						(first, later) -> later.before(first) ? later : first);
			}
			byInstance.add(call.instance() + "/" + call.key() + "/" + call.seq());
		}
		long totalWritten = written.values().stream().mapToLong(Long::longValue).sum();
		long handled = firstCalls.values().stream().mapToLong(TreeMap::size).sum();
		long violations = 0;
		for (TreeMap<Long, Call> perKey : firstCalls.values()) {
			Call previous = null;
			for (Call call : perKey.values()) {
				if (previous != null && previous.seq() + 1 == call.seq() && call.before(previous)) {
					violations++;
				}
				previous = call;
			}
		}
		Map<String, Long> perInstance = calls.stream()
			.collect(Collectors.groupingBy(Call::instance, TreeMap::new, Collectors.counting()));
		return new Tally(totalWritten, handled, totalWritten - poisoned.size() - handled, violations, calls.size() - handled,
				calls.size() - byInstance.size(), perInstance);
	}

}
