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
 * {@code ItemChange<BenchItem>}, in the KCL application mode given ({@code per-table} or {@code shared}). Each
 * start is an application of its own name (the table's), so that no start finds the leases of an earlier one:
 * in {@code shared} mode they would be in its one lease table, read as a former stream's.
 */
final class FrameworkConsumer implements BenchConsumer {

	private final URI endpoint;

	private final String pollInterval;

	private final String mode;

	private final boolean fastFailover;

	private ConfigurableApplicationContext context;

	FrameworkConsumer(URI endpoint, String pollInterval, String mode, boolean fastFailover) {
		this.endpoint = endpoint;
		this.pollInterval = pollInterval;
		this.mode = mode;
		this.fastFailover = fastFailover;
	}

	@Override
	public void start(String table, Arrivals arrivals) {
		this.context = new SpringApplicationBuilder(BenchApplication.class).web(WebApplicationType.NONE)
			.initializers((context) -> context.getBeanFactory().registerSingleton("arrivals", arrivals))
			.properties("bench.table=" + table, "dynamo-trigger.application-name=" + table + "-app",
					"dynamo-trigger.kcl.application-mode=" + this.mode,
					"spring.main.banner-mode=off", "logging.level.root=WARN",
					"dynamo-trigger.aws.endpoint=" + this.endpoint, "dynamo-trigger.aws.region=us-east-1",
					"dynamo-trigger.fast-failover=" + this.fastFailover, "dynamo-trigger.polling.mode=fixed",
					"dynamo-trigger.polling.fixed-interval=" + this.pollInterval)
			.run();
	}

	@Override
	public void stop() {
		this.context.close();
	}

	@Override
	public String name() {
		return "dynamo-trigger (" + this.mode + ")";
	}

	@Override
	public String key() {
		return "dt-" + this.mode;
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
