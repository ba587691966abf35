package io.dynamotrigger.config;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The AWS clients the triggers run on. All point at the same account and region (or the same local
 * endpoint). KCL's own metrics are off (ours go to Micrometer), so there is no CloudWatch client.
 *
 * @param dynamoDb checks tables and streams at startup
 * @param dynamoDbAsync keeps KCL's leases, checkpoints and coordinator state
 * @param streams reads the streams, through the DynamoDB Streams Kinesis Adapter
 * @param region the region of the streams
 */
public record AwsClients(DynamoDbClient dynamoDb, DynamoDbAsyncClient dynamoDbAsync, DynamoDbStreamsClient streams,
		Region region) {
}
