package io.dynamotrigger.reliability;

import java.net.URI;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The application the reliability suite runs as separate processes: one trigger on the {@code Events} table
 * that records each call in the {@code Calls} table (the oracle), and a reporter that prints the
 * {@code dynamoTrigger} health on every change and one that prints the lag. With
 * {@code reliability.inputs=true} a second trigger maps the {@code Inputs} table's items to {@link Input}.
 * <p>
 * The trigger reads through {@code dynamo-trigger.aws.endpoint} (the fault goes there); the oracle writes
 * to {@code reliability.oracle-endpoint}, straight to the endpoint, so that the measurement is not part of
 * the fault. {@code reliability.instance} names the process in the oracle; {@code reliability.handler-delay}
 * slows every call of the {@code Events} trigger down. With {@code reliability.window=10s} a tumbling-window
 * trigger on {@code Events} writes each window's final state to the {@code Windows} table ({@link WindowRecorder}).
 */
@SpringBootApplication
public class OracleApplication {

	/**
	 * Runs until stopped; the suite passes the endpoints and the instance name as {@code --name=value}.
	 * @param args Spring Boot command-line properties
	 */
	public static void main(String[] args) {
		SpringApplication.run(OracleApplication.class, args);
	}

	@Bean
	CallRecorder callRecorder(@Value("${reliability.oracle-endpoint}") URI oracleEndpoint,
			@Value("${reliability.instance}") String instance,
			@Value("${reliability.handler-delay:0ms}") Duration handlerDelay) {
		DynamoDbClient oracle = DynamoDbClient.builder()
			.endpointOverride(oracleEndpoint)
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
			.build();
		return new CallRecorder(oracle, instance + "." + ProcessHandle.current().pid(), handlerDelay);
	}

	@Bean
	@ConditionalOnProperty("reliability.window")
	WindowRecorder windowRecorder(@Value("${reliability.oracle-endpoint}") URI oracleEndpoint,
			@Value("${reliability.instance}") String instance) {
		return new WindowRecorder(oracle(oracleEndpoint), instance + "." + ProcessHandle.current().pid());
	}

	private static DynamoDbClient oracle(URI oracleEndpoint) {
		return DynamoDbClient.builder()
			.endpointOverride(oracleEndpoint)
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
			.build();
	}

	@Bean
	@ConditionalOnProperty("reliability.inputs")
	InputRecorder inputRecorder(CallRecorder callRecorder) {
		return new InputRecorder(callRecorder);
	}

	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

	@Bean
	LagReporter lagReporter(MeterRegistry meterRegistry) {
		return new LagReporter(meterRegistry);
	}

	@Bean
	HealthReporter healthReporter(HealthIndicator dynamoTriggerHealthIndicator) {
		return new HealthReporter(dynamoTriggerHealthIndicator);
	}

}
