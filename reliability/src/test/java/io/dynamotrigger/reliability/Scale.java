package io.dynamotrigger.reliability;

/**
 * Short runs in the normal build, long ones with {@code -Preliability} (system property
 * {@code reliability.long}); {@code -Dreliability.runs}, {@code -Dreliability.records} and
 * {@code -Dreliability.outage-seconds} override either.
 */
final class Scale {

	static final boolean LONG = Boolean.getBoolean("reliability.long");

	private Scale() {
	}

	static int runs(int shortRuns, int longRuns) {
		return Integer.getInteger("reliability.runs", LONG ? longRuns : shortRuns);
	}

	static int records(int shortRecords, int longRecords) {
		return Integer.getInteger("reliability.records", LONG ? longRecords : shortRecords);
	}

	static int outageSeconds(int shortSeconds, int longSeconds) {
		return Integer.getInteger("reliability.outage-seconds", LONG ? longSeconds : shortSeconds);
	}

}
