package io.dynamotrigger.kcl.polling;

import io.dynamotrigger.config.PollingSettings;

/**
 * Decides, after each GetRecords call on a shard, how long that shard's reader waits before the next.
 * One instance per shard; it is called by the shard's reader thread only.
 */
interface PollingPolicy {

	/**
	 * Returns the pause before the next read.
	 * @param outcome what the read that just ended came back with
	 * @return milliseconds to wait, counted from the end of that read
	 */
	long delayAfter(ReadOutcome outcome);

	/**
	 * Returns a new policy for one shard.
	 * @param settings the polling settings
	 * @return a policy of the settings' mode
	 */
	static PollingPolicy forShard(PollingSettings settings) {
		return switch (settings.mode()) {
			case ADAPTIVE -> new AdaptivePollingPolicy(settings.restInterval().toMillis());
			case FIXED -> new FixedPollingPolicy(settings.fixedInterval().toMillis());
		};
	}

}
