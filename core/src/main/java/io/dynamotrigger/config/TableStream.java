package io.dynamotrigger.config;

/**
 * What the consumer of a table needs to know of it, read once at startup.
 *
 * @param streamArn the ARN of the table's current stream
 * @param partitionKey the name of the table's partition key attribute, by which records are spread over lanes
 */
public record TableStream(String streamArn, String partitionKey) {
}
