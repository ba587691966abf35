package io.dynamotrigger.boot;

import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class KclLogLevelDefaultsTests {

	@Test
	void kclAndAdapterLogOnlyWarningsByDefault() {
		try (ConfigurableApplicationContext context = application().run()) {
			LoggingSystem logging = context.getBean(LoggingSystem.class);

			assertThat(logging.getLoggerConfiguration("software.amazon.kinesis").getEffectiveLevel())
				.isEqualTo(LogLevel.WARN);
			assertThat(logging
				.getLoggerConfiguration("com.amazonaws.services.dynamodbv2.streamsadapter.StreamsSchedulerFactory")
				.getEffectiveLevel()).isEqualTo(LogLevel.ERROR);
		}
	}

	@Test
	void levelsTheApplicationSetsWin() {
		try (ConfigurableApplicationContext context = application()
			.properties("logging.level.software.amazon.kinesis=DEBUG")
			.run()) {
			LoggingSystem logging = context.getBean(LoggingSystem.class);

			assertThat(logging.getLoggerConfiguration("software.amazon.kinesis").getEffectiveLevel())
				.isEqualTo(LogLevel.DEBUG);
		}
	}

	private static SpringApplicationBuilder application() {
		return new SpringApplicationBuilder(NoTriggers.class).web(WebApplicationType.NONE)
			.properties("dynamo-trigger.enabled=false");
	}

	@Configuration(proxyBeanMethods = false)
	static class NoTriggers {

	}

}
