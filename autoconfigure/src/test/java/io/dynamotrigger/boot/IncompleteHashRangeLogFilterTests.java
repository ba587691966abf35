package io.dynamotrigger.boot;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class IncompleteHashRangeLogFilterTests {

	private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

	private final Logger logger = this.context.getLogger(IncompleteHashRangeLogFilter.LOGGER);

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	@BeforeEach
	void listen() {
		this.appender.start();
		this.logger.addAppender(this.appender);
		IncompleteHashRangeLogFilter.Logback.install();
	}

	@AfterEach
	void stopListening() {
		this.logger.detachAppender(this.appender);
		this.context.getTurboFilterList().removeIf(IncompleteHashRangeLogFilter.Logback.class::isInstance);
	}

	@Test
	void kclsFalseHashRangeAlarmIsDropped() {
		this.logger.error("Incomplete hash range found for stream {} between {} and {}.", "Reviews", "Lease(a)",
				"Lease(a)");

		assertThat(this.appender.list).isEmpty();
	}

	@Test
	void otherErrorsOfTheShardSyncStay() {
		this.logger.error("Error during runShardSync.", new IllegalStateException("endpoint down"));

		assertThat(this.appender.list).singleElement()
			.satisfies((event) -> assertThat(event.getMessage()).isEqualTo("Error during runShardSync."));
	}

	@Test
	void theSameTextFromAnotherLoggerStays() {
		Logger other = this.context.getLogger("io.dynamotrigger.Other");
		other.addAppender(this.appender);
		try {
			other.error("Incomplete hash range found for stream {}", "Reviews");
		}
		finally {
			other.detachAppender(this.appender);
		}

		assertThat(this.appender.list).hasSize(1);
	}

	@Test
	void installingTwiceAddsOneFilter() {
		IncompleteHashRangeLogFilter.Logback.install();

		assertThat(this.context.getTurboFilterList()).filteredOn(IncompleteHashRangeLogFilter.Logback.class::isInstance)
			.hasSize(1);
	}

}
