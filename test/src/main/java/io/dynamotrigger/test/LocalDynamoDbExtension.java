package io.dynamotrigger.test;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that runs the tests of a class against {@link LocalDynamoDb#shared()}, started
 * once per test JVM and stopped when it exits. Use it through {@link LocalDynamoDbTest}, or with
 * {@code @ExtendWith(LocalDynamoDbExtension.class)}.
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

	/** Creates the extension; JUnit does this for {@code @ExtendWith}. */
	public LocalDynamoDbExtension() {
	}

	/**
	 * Starts the shared server if it is not running yet and publishes it in system properties.
	 * @param context the test class's context
	 */
	@Override
	public void beforeAll(ExtensionContext context) {
		LocalDynamoDb server = LocalDynamoDb.shared();
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
	 * Resolves a {@link LocalDynamoDb} parameter to the shared server.
	 * @param parameterContext the parameter to resolve
	 * @param extensionContext the current context
	 * @return {@link LocalDynamoDb#shared()}
	 */
	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return LocalDynamoDb.shared();
	}

}
