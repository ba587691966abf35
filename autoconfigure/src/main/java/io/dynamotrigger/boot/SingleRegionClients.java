package io.dynamotrigger.boot;

import java.net.URI;

import io.dynamotrigger.config.AwsClients;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The clients the stream consumers run on, checked to be in one region: the DynamoDB client (the
 * application's own, Spring Cloud AWS's or dynamo-trigger's), the client of the leases and the streams
 * client, and what {@code dynamo-trigger.aws.*} says. A trigger whose leases live in one region and whose
 * stream is read in another would never see its records, so a mix fails the start naming both values.
 */
final class SingleRegionClients {

	private static final String SCA_REGION = " (with Spring Cloud AWS: spring.cloud.aws.dynamodb.region or"
			+ " spring.cloud.aws.region.static)";

	private SingleRegionClients() {
	}

	/**
	 * Returns the clients once they are checked.
	 * @param properties {@code dynamo-trigger.aws.*}
	 * @param dynamoDb the application's DynamoDB client
	 * @param dynamoDbAsync the client of KCL's leases
	 * @param streams the streams client
	 * @return the clients, in the DynamoDB client's region
	 * @throws IllegalStateException if two of them name different regions, or the DynamoDB client another
	 * endpoint than {@code dynamo-trigger.aws.endpoint}
	 */
	static AwsClients of(DynamoTriggerProperties.Aws properties, DynamoDbClient dynamoDb,
			DynamoDbAsyncClient dynamoDbAsync, DynamoDbStreamsClient streams) {
		Region region = dynamoDb.serviceClientConfiguration().region();
		if (properties.region() != null && !Region.of(properties.region()).equals(region)) {
			throw new IllegalStateException("dynamo-trigger.aws.region is " + properties.region()
					+ " but the application's DynamoDbClient uses " + region + SCA_REGION
					+ ". Triggers use one region: remove dynamo-trigger.aws.region, or set both to the same region.");
		}
		URI endpoint = dynamoDb.serviceClientConfiguration().endpointOverride().orElse(null);
		if (properties.endpoint() != null && !properties.endpoint().equals(endpoint)) {
			throw new IllegalStateException("dynamo-trigger.aws.endpoint is " + properties.endpoint()
					+ " but the application's DynamoDbClient uses "
					+ ((endpoint != null) ? endpoint : "the AWS endpoint of " + region)
					+ " (with Spring Cloud AWS: spring.cloud.aws.dynamodb.endpoint or spring.cloud.aws.endpoint)."
					+ " Remove dynamo-trigger.aws.endpoint, or set both to the same endpoint.");
		}
		requireSameRegion("DynamoDbAsyncClient", dynamoDbAsync.serviceClientConfiguration().region(), region);
		requireSameRegion("DynamoDbStreamsClient", streams.serviceClientConfiguration().region(), region);
		return new AwsClients(dynamoDb, dynamoDbAsync, streams, region);
	}

	private static void requireSameRegion(String type, Region own, Region dynamoDb) {
		if (!own.equals(dynamoDb)) {
			throw new IllegalStateException("The application's " + type + " uses " + own
					+ " but its DynamoDbClient uses " + dynamoDb + SCA_REGION + ". Triggers use one region: build the "
					+ type + " for " + dynamoDb + ", or remove that bean so that dynamo-trigger builds one like the"
					+ " DynamoDbClient.");
		}
	}

}
