package io.dynamotrigger.boot;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Applies endpoint, region and credentials to the builders of the clients dynamo-trigger creates. In
 * production nothing is set but what the properties say; the SDK's default chains do the rest.
 */
final class AwsClientSettings {

	private final URI endpoint;

	private final Region region;

	private final AwsCredentialsProvider credentials;

	AwsClientSettings(DynamoTriggerProperties.Aws properties, AwsCredentialsProvider userCredentials) {
		this.endpoint = properties.endpoint();
		this.region = (properties.region() != null) ? Region.of(properties.region())
				: new DefaultAwsRegionProviderChain().getRegion();
		if (userCredentials != null) {
			this.credentials = userCredentials;
		}
		else if (this.endpoint != null && isLoopback(this.endpoint)) {
			// A local endpoint checks no signature, but the SDK will not send a request without one.
			this.credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
		}
		else {
			this.credentials = DefaultCredentialsProvider.builder().build();
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

	Region region() {
		return this.region;
	}

	<B extends AwsClientBuilder<B, ?>> B apply(B builder) {
		builder.region(this.region).credentialsProvider(this.credentials);
		if (this.endpoint != null) {
			builder.endpointOverride(this.endpoint);
		}
		return builder;
	}

}
