package io.dynamotrigger.reliability;

import java.net.URI;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The application the reliability suite runs as separate processes: one trigger on the {@code Events} table
 * that records each call in the {@code Calls} table (the oracle), and a reporter that prints the
 * {@code dynamoTrigger} health on every change.
 * <p>
 * The trigger reads through {@code dynamo-trigger.aws.endpoint} (the fault goes there); the oracle writes
 * to {@code reliability.oracle-endpoint}, straight to the endpoint, so that the measurement is not part of
 * the fault. {@code reliability.instance} names the process in the oracle.
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
			@Value("${reliability.instance}") String instance) {
		DynamoDbClient oracle = DynamoDbClient.builder()
			.endpointOverride(oracleEndpoint)
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
			.build();
		return new CallRecorder(oracle, instance + "." + ProcessHandle.current().pid());
	}

	@Bean
	HealthReporter healthReporter(HealthIndicator dynamoTriggerHealthIndicator) {
		return new HealthReporter(dynamoTriggerHealthIndicator);
	}

}
