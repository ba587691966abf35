package io.dynamotrigger.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

/**
 * DynamoDB Streams events read from JSON as the Lambda Java runtime reads them.
 */
final class StreamEvents {

	private StreamEvents() {
	}

	static DynamodbEvent read(String resource) {
		try (InputStream in = StreamEvents.class.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalArgumentException("No resource " + resource);
			}
			return LambdaEventSerializers.serializerFor(DynamodbEvent.class, StreamEvents.class.getClassLoader())
				.fromJson(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
