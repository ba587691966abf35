package io.dynamotrigger.test;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension that runs the tests of a class against {@link LocalDynamoDb#shared()}, started
 * once per test JVM and stopped when it exits. Use it through {@link LocalDynamoDbTest}, or with
 * {@code @ExtendWith(LocalDynamoDbExtension.class)}. A class whose {@link LocalDynamoDbTest} gives a
 * {@linkplain LocalDynamoDbTest#topology() stream topology} gets a server of its own instead,
 * started before its first test and stopped after its last.
 * <p>
 * Before the first test of the class it sets these system properties, so that Spring Boot tests
 * and the AWS SDK's default credentials chain find the endpoint without further configuration:
 * <ul>
 * <li>{@code dynamo-trigger.aws.endpoint}: the {@linkplain LocalDynamoDb#endpoint() endpoint}</li>
 * <li>{@code dynamo-trigger.aws.region}: the {@linkplain LocalDynamoDb#region() region}</li>
 * <li>{@code aws.accessKeyId} and {@code aws.secretAccessKey}: the dummy credentials, only where not
 * already set</li>
 * </ul>
 * Test and lifecycle methods can declare a {@link LocalDynamoDb} parameter to receive the server.
 */
public final class LocalDynamoDbExtension implements BeforeAllCallback, ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(LocalDynamoDbExtension.class);

	/** Creates the extension; JUnit does this for {@code @ExtendWith}. */
	public LocalDynamoDbExtension() {
	}

	/**
	 * Starts the class's server, or the shared one if it is not running yet, and publishes it in
	 * system properties.
	 * @param context the test class's context
	 * @throws ExtensionConfigurationException if the class's stream topology is not valid
	 */
	@Override
	public void beforeAll(ExtensionContext context) {
		LocalDynamoDb server = serverFor(context);
		System.setProperty("dynamo-trigger.aws.endpoint", server.endpoint().toString());
		System.setProperty("dynamo-trigger.aws.region", server.region());
		// Real credentials configured by the developer win: the endpoint accepts any.
		if (System.getProperty("aws.accessKeyId") == null) {
			System.setProperty("aws.accessKeyId", LocalDynamoDb.ACCESS_KEY_ID);
		}
		if (System.getProperty("aws.secretAccessKey") == null) {
			System.setProperty("aws.secretAccessKey", LocalDynamoDb.SECRET_ACCESS_KEY);
		}
	}

	/**
	 * Supports parameters of type {@link LocalDynamoDb}.
	 * @param parameterContext the parameter to resolve
	 * @param extensionContext the current context
	 * @return whether the parameter is a {@link LocalDynamoDb}
	 */
	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == LocalDynamoDb.class;
	}

	/**
	 * Resolves a {@link LocalDynamoDb} parameter to the class's own server, or else the shared one.
	 * @param parameterContext the parameter to resolve
	 * @param extensionContext the current context
	 * @return the class's server or {@link LocalDynamoDb#shared()}
	 */
	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		LocalDynamoDb own = extensionContext.getStore(NAMESPACE).get(LocalDynamoDb.class, LocalDynamoDb.class);
		return (own != null) ? own : LocalDynamoDb.shared();
	}

	private static LocalDynamoDb serverFor(ExtensionContext context) {
		Optional<StreamTopology> topology = topologyOf(context);
		if (topology.isPresent()) {
			LocalDynamoDb own = LocalDynamoDb.start(topology.get());
			// JUnit closes AutoCloseable values when the class's store closes, after its last test.
			context.getStore(NAMESPACE).put(LocalDynamoDb.class, own);
			return own;
		}
		// A @Nested class without a topology of its own runs against its enclosing class's server.
		LocalDynamoDb enclosing = (context != null)
				? context.getStore(NAMESPACE).get(LocalDynamoDb.class, LocalDynamoDb.class) : null;
		return (enclosing != null) ? enclosing : LocalDynamoDb.shared();
	}

	private static Optional<StreamTopology> topologyOf(ExtensionContext context) {
		// Without a context (a caller outside JUnit) there is no class to read a topology from.
		if (context == null) {
			return Optional.empty();
		}
		Optional<LocalDynamoDbTest> annotation = AnnotationSupport.findAnnotation(context.getTestClass(),
				LocalDynamoDbTest.class);
		if (annotation.isEmpty() || annotation.get().topology().length == 0) {
			return Optional.empty();
		}
		LocalDynamoDbTest.Topology[] topologies = annotation.get().topology();
		if (topologies.length > 1) {
			throw new ExtensionConfigurationException(
					"@LocalDynamoDbTest takes at most one topology, found " + topologies.length);
		}
		LocalDynamoDbTest.Topology topology = topologies[0];
		try {
			return Optional.of(StreamTopology.builder()
				.shards(topology.shards())
				.rollOverAfterRecords(topology.rollOverAfterRecords())
				.rollOverAfter(duration("rollOverAfter", topology.rollOverAfter()))
				.rollOver(topology.rollOver())
				.retention(duration("retention", topology.retention()))
				.iteratorExpiry(duration("iteratorExpiry", topology.iteratorExpiry()))
				.build());
		}
		catch (IllegalArgumentException ex) {
			throw new ExtensionConfigurationException("Invalid @LocalDynamoDbTest topology on "
					+ context.getRequiredTestClass().getName() + ": " + ex.getMessage(), ex);
		}
	}

	private static Duration duration(String attribute, String value) {
		try {
			return Duration.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException(attribute + " must be an ISO-8601 duration such as PT5S, was '"
					+ value + "'", ex);
		}
	}

}
