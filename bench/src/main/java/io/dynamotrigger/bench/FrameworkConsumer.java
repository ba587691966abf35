package io.dynamotrigger.bench;

import java.net.URI;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * dynamo-trigger: a Spring Boot application with one {@code @DynamoTrigger} method taking
 * {@code ItemChange<BenchItem>}.
 */
final class FrameworkConsumer implements BenchConsumer {

	private final URI endpoint;

	private final String pollInterval;

	private ConfigurableApplicationContext context;

	FrameworkConsumer(URI endpoint, String pollInterval) {
		this.endpoint = endpoint;
		this.pollInterval = pollInterval;
	}

	@Override
	public void start(String table, Arrivals arrivals) {
		this.context = new SpringApplicationBuilder(BenchApplication.class).web(WebApplicationType.NONE)
			.initializers((context) -> context.getBeanFactory().registerSingleton("arrivals", arrivals))
			.properties("bench.table=" + table, "spring.application.name=bench-framework",
					"spring.main.banner-mode=off", "logging.level.root=WARN",
					"dynamo-trigger.aws.endpoint=" + this.endpoint, "dynamo-trigger.aws.region=us-east-1",
					"dynamo-trigger.fast-failover=true", "dynamo-trigger.polling.mode=fixed",
					"dynamo-trigger.polling.fixed-interval=" + this.pollInterval)
			.run();
	}

	@Override
	public void stop() {
		this.context.close();
	}

	@Override
	public String name() {
		return "dynamo-trigger";
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class BenchApplication {

		@Bean
		BenchTrigger benchTrigger(Arrivals arrivals) {
			return new BenchTrigger(arrivals);
		}

	}

	static final class BenchTrigger {

		private final Arrivals arrivals;

		BenchTrigger(Arrivals arrivals) {
			this.arrivals = arrivals;
		}

		@DynamoTrigger(table = "${bench.table}")
		void onItem(ItemChange<BenchItem> change) {
			this.arrivals.arrived(change.newImage().getId());
		}

	}

}
