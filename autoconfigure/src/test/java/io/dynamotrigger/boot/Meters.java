package io.dynamotrigger.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A {@link SimpleMeterRegistry} for the tests that read dynamo-trigger's meters.
 */
@Configuration(proxyBeanMethods = false)
class Meters {

	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

}
