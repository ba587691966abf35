package io.dynamotrigger.boot;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsServiceClientConfiguration;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Endpoint, region and credentials applied to the builders of the clients dynamo-trigger creates: either
 * those of {@code dynamo-trigger.aws.*} and the application's providers, or those of a client the
 * application already has, so that what dynamo-trigger builds next to it talks to the same region.
 */
final class AwsClientSettings {

	private final URI endpoint;

	private final Region region;

	private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;

	private AwsClientSettings(URI endpoint, Region region, IdentityProvider<? extends AwsCredentialsIdentity> credentials) {
		this.endpoint = endpoint;
		this.region = region;
		this.credentials = credentials;
	}

	/**
	 * The settings of {@code dynamo-trigger.aws.*}, completed by the application's region and credentials
	 * providers (Spring Cloud AWS publishes both) and otherwise by the SDK's default chains. In production
	 * nothing is set but what the properties say.
	 * @param properties {@code dynamo-trigger.aws.*}
	 * @param applicationRegion the application's region provider, or {@code null}
	 * @param applicationCredentials the application's credentials provider, or {@code null}
	 * @return the settings
	 * @throws IllegalStateException if {@code dynamo-trigger.aws.region} and the application's region differ
	 */
	static AwsClientSettings fromProperties(DynamoTriggerProperties.Aws properties, AwsRegionProvider applicationRegion,
			AwsCredentialsProvider applicationCredentials) {
		URI endpoint = properties.endpoint();
		Region region = region(properties.region(), applicationRegion);
		if (applicationCredentials != null) {
			return new AwsClientSettings(endpoint, region, applicationCredentials);
		}
		if (endpoint != null && isLoopback(endpoint)) {
			// A local endpoint checks no signature, but the SDK will not send a request without one.
			return new AwsClientSettings(endpoint, region,
					StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
		}
		return new AwsClientSettings(endpoint, region, DefaultCredentialsProvider.builder().build());
	}

	/**
	 * The endpoint, region and credentials a client was built with.
	 * @param client what the application's client says of its configuration
	 * @return the settings
	 */
	static AwsClientSettings of(AwsServiceClientConfiguration client) {
		return new AwsClientSettings(client.endpointOverride().orElse(null), client.region(),
				client.credentialsProvider());
	}

	private static Region region(String configured, AwsRegionProvider application) {
		Region own = (configured != null) ? Region.of(configured) : null;
		Region applications = regionOf(application);
		if (own != null && applications != null && !own.equals(applications)) {
			throw new IllegalStateException("dynamo-trigger.aws.region is " + own + " but the application's region"
					+ " (its AwsRegionProvider bean; with Spring Cloud AWS: spring.cloud.aws.region.static) is "
					+ applications + ". Triggers use one region: remove dynamo-trigger.aws.region, or set both to"
					+ " the same region.");
		}
		if (own != null) {
			return own;
		}
		return (applications != null) ? applications : new DefaultAwsRegionProviderChain().getRegion();
	}

	private static Region regionOf(AwsRegionProvider provider) {
		if (provider == null) {
			return null;
		}
		try {
			return provider.getRegion();
		}
		catch (SdkClientException ex) {
			// The application's chain finds no region (Spring Cloud AWS's default when none is configured):
			// it names none that could disagree.
			return null;
		}
	}

	private static boolean isLoopback(URI endpoint) {
		try {
			return endpoint.getHost() != null && InetAddress.getByName(endpoint.getHost()).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	boolean hasEndpoint() {
		return this.endpoint != null;
	}

	<B extends AwsClientBuilder<B, ?>> B apply(B builder) {
		builder.region(this.region).credentialsProvider(this.credentials);
		if (this.endpoint != null) {
			builder.endpointOverride(this.endpoint);
		}
		return builder;
	}

}
