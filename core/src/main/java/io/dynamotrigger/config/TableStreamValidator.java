package io.dynamotrigger.config;

import java.util.List;

import io.dynamotrigger.ViewType;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Checks at startup that a table exists and has a stream that carries what its triggers' view types need, and
 * fails with a message that says what to change.
 */
public final class TableStreamValidator {

	private final DynamoDbClient dynamoDb;

	/**
	 * Creates a validator.
	 * @param dynamoDb the client that describes the tables
	 */
	public TableStreamValidator(DynamoDbClient dynamoDb) {
		this.dynamoDb = dynamoDb;
	}

	/**
	 * Validates a table against its triggers.
	 * @param table the table name
	 * @param endpoints the table's triggers
	 * @return the table's current stream and partition key
	 * @throws IllegalStateException if the table is missing, has no stream, or its stream carries less than a
	 * trigger's view type needs
	 */
	public TableStream validate(String table, List<TriggerEndpoint> endpoints) {
		List<String> ids = endpoints.stream().map(TriggerEndpoint::id).toList();
		TableDescription description;
		try {
			description = this.dynamoDb.describeTable((request) -> request.tableName(table)).table();
		}
		catch (ResourceNotFoundException ex) {
			throw new IllegalStateException("Table '" + table + "' does not exist (needed by @DynamoTrigger " + ids
					+ "). Create the table with a stream, or change the trigger's table.", ex);
		}
		StreamSpecification stream = description.streamSpecification();
		if (stream == null || !Boolean.TRUE.equals(stream.streamEnabled()) || description.latestStreamArn() == null) {
			throw new IllegalStateException("Table '" + table + "' has no stream (needed by @DynamoTrigger " + ids
					+ "). Enable one, e.g. aws dynamodb update-table --table-name " + table
					+ " --stream-specification StreamEnabled=true,StreamViewType="
					+ ViewType.covering(endpoints.stream().map(TriggerEndpoint::viewType).toList()).name());
		}
		for (TriggerEndpoint endpoint : endpoints) {
			endpoint.checkStreamViewType(table, stream.streamViewTypeAsString());
		}
		String partitionKey = description.keySchema()
			.stream()
			.filter((key) -> key.keyType() == KeyType.HASH)
			.map(KeySchemaElement::attributeName)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("Table '" + table + "' has no partition key"));
		return new TableStream(description.latestStreamArn(), partitionKey);
	}

}
