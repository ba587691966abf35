package io.dynamotrigger.config;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The AWS clients the triggers run on. All point at the same account and region (or the same local
 * endpoint).
 *
 * @param dynamoDb checks tables and streams at startup
 * @param dynamoDbAsync keeps KCL's leases, checkpoints and coordinator state
 * @param streams reads the streams, through the DynamoDB Streams Kinesis Adapter
 * @param cloudWatch required by KCL; KCL's own metrics are off and ours go to Micrometer
 * @param region the region of the streams
 */
public record AwsClients(DynamoDbClient dynamoDb, DynamoDbAsyncClient dynamoDbAsync, DynamoDbStreamsClient streams,
		CloudWatchAsyncClient cloudWatch, Region region) {
}
