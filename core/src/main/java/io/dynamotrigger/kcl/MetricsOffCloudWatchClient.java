package io.dynamotrigger.kcl;

import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;

/**
 * What KCL gets for its CloudWatch client: {@code ConfigsBuilder} refuses {@code null}, yet with metrics at
 * {@code NONE} and a {@code NullMetricsFactory} KCL 3.3 never calls it (only {@code MetricsConfig} builds a
 * CloudWatch metrics factory from it, and only when no factory is set). A real client would be built, hold
 * an HTTP client and, published as a bean, take the place of the application's own. Any call fails with the
 * SDK interface's {@link UnsupportedOperationException}, so a KCL that started to use it would not go unseen.
 */
final class MetricsOffCloudWatchClient implements CloudWatchAsyncClient {

	static final MetricsOffCloudWatchClient INSTANCE = new MetricsOffCloudWatchClient();

	private MetricsOffCloudWatchClient() {
	}

	@Override
	public String serviceName() {
		return SERVICE_NAME;
	}

	@Override
	public void close() {
	}

}
