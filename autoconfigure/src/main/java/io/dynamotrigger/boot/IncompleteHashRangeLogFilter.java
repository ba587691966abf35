package io.dynamotrigger.boot;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * Keeps KCL's false alarm "Incomplete hash range found for stream …" out of the log, where Logback is the
 * logging system. KCL's periodic shard sync checks that the leases of a stream cover the whole Kinesis hash
 * key space; the DynamoDB Streams Kinesis Adapter gives every DynamoDB Streams shard (which has no hash range)
 * the range 0–1, so the check reports a hole at every run, 60 s after start and every 2 minutes after, once
 * per stream, though no shard is missing. Neither KCL 3.3 nor the adapter 2.0.1 has a setting that stops the
 * message: the adapter forces the audit's threshold to 0, and the audit is the only periodic shard sync
 * (which creates child-shard leases a failed shard end left out, and deletes finished leases), so it must
 * keep running. Only that message is dropped; every other line of the logger, its real errors included,
 * stays.
 */
public final class IncompleteHashRangeLogFilter
		implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	/** The logger of KCL's periodic shard sync. */
	static final String LOGGER = "software.amazon.kinesis.coordinator.PeriodicShardSyncManager";

	/** The start of the message that is dropped. */
	static final String MESSAGE = "Incomplete hash range found";

	private static final boolean LOGBACK = ClassUtils.isPresent("ch.qos.logback.classic.LoggerContext",
			IncompleteHashRangeLogFilter.class.getClassLoader());

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		if (LOGBACK) {
			Logback.install();
		}
	}

	/**
	 * After Spring Boot's logging set-up, which replaces Logback's filters.
	 */
	@Override
	public int getOrder() {
		return LoggingApplicationListener.DEFAULT_ORDER + 1;
	}

	/**
	 * The Logback part, loaded only when Logback is there.
	 */
	static final class Logback extends TurboFilter {

		static void install() {
			if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
					&& context.getTurboFilterList().stream().noneMatch(Logback.class::isInstance)) {
				context.addTurboFilter(new Logback());
			}
		}

		@Override
		public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
				Throwable failure) {
			return (level == Level.ERROR && format != null && format.startsWith(MESSAGE)
					&& LOGGER.equals(logger.getName())) ? FilterReply.DENY : FilterReply.NEUTRAL;
		}

	}

}
