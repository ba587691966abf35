package io.dynamotrigger.boot;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Default log levels for KCL and the DynamoDB Streams Kinesis Adapter. At their own defaults they log
 * several WARN lines on every start (about settings the adapter overrides on purpose, metrics providers
 * that do not apply, leases not yet assignable) and INFO lines that offer the user nothing to act on;
 * dynamo-trigger logs what runs itself. These levels have the lowest precedence: any
 * {@code logging.level.*} the application sets wins.
 */
public final class KclLogLevelDefaults implements EnvironmentPostProcessor {

	static final String PROPERTY_SOURCE_NAME = "dynamoTriggerLogLevels";

	private static final Map<String, Object> LEVELS = Map.of(
			"logging.level.software.amazon.kinesis", "WARN",
			"logging.level.software.amazon.kinesis.worker.WorkerMetricsSelector", "ERROR",
			"logging.level.software.amazon.kinesis.coordinator.assignment.LeaseAssignmentManager", "ERROR",
			"logging.level.com.amazonaws.services.dynamodbv2.streamsadapter", "WARN",
			"logging.level.com.amazonaws.services.dynamodbv2.streamsadapter.StreamsSchedulerFactory", "ERROR",
			"logging.level.com.amazonaws.services.dynamodbv2.AmazonDynamoDBLockClient", "WARN");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, LEVELS));
	}

}
