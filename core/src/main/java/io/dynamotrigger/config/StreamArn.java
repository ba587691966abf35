package io.dynamotrigger.config;

/**
 * The ARN of a DynamoDB table's stream,
 * {@code arn:<partition>:dynamodb:<region>:<account>:table/<table>/stream/<label>}. A table has a new stream,
 * with a new label, each time its stream is enabled again or the table is created again under its name.
 *
 * @param value the whole ARN
 * @param tableName the name of the table whose changes the stream carries
 * @param label the stream's label, which tells the table's streams apart (a time, such as
 * {@code 2024-05-01T10:15:30.123})
 */
public record StreamArn(String value, String tableName, String label) {

	private static final String FORMAT = "arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>";

	private static final String TABLE = "table/";

	private static final String STREAM = "/stream/";

	/**
	 * Reads a stream ARN.
	 * @param arn the ARN, as DynamoDB, DynamoDB Streams or a Lambda event names it
	 * @return its parts
	 * @throws IllegalArgumentException if the text is not the ARN of a DynamoDB stream
	 */
	public static StreamArn parse(String arn) {
		// The label may hold ':' (a time), so the resource is everything after the fifth ':'.
		String[] parts = (arn != null) ? arn.split(":", 6) : new String[0];
		if (parts.length == 6 && parts[0].equals("arn") && parts[2].equals("dynamodb") && parts[5].startsWith(TABLE)) {
			String resource = parts[5];
			int stream = resource.indexOf(STREAM, TABLE.length());
			if (stream > TABLE.length() && stream + STREAM.length() < resource.length()) {
				return new StreamArn(arn, resource.substring(TABLE.length(), stream),
						resource.substring(stream + STREAM.length()));
			}
		}
		throw new IllegalArgumentException("Not a DynamoDB stream ARN: '" + arn + "'; a stream's ARN reads " + FORMAT);
	}

	@Override
	public String toString() {
		return this.value;
	}

}
