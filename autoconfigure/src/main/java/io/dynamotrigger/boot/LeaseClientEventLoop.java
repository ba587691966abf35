package io.dynamotrigger.boot;

import java.util.concurrent.TimeUnit;

import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;

/**
 * The Netty event loop of the {@code DynamoDbAsyncClient} the starter builds for KCL's leases, checkpoints and
 * coordinator state, owned here rather than by the client. Closing a Netty client that owns its event loop
 * waits for the loop's quiet period, 2 seconds in which no task arrives (AWS SDK 2.x,
 * {@code NettyNioAsyncHttpClient.close}), so every application stop took at least 2 s more than the
 * consumers' graceful stop. The client does not close an event loop it was given; this one is closed after
 * the client, with no quiet period: the client's connections are closed by then, and nothing is left to wait for.
 */
final class LeaseClientEventLoop implements AutoCloseable {

	private static final long SHUTDOWN_TIMEOUT_SECONDS = 5;

	private final SdkEventLoopGroup group = SdkEventLoopGroup.builder().build();

	/**
	 * Returns the event loop to build the client with.
	 */
	SdkEventLoopGroup group() {
		return this.group;
	}

	/**
	 * Shuts the event loop down without a quiet period, and waits (at most 5 s) until it has.
	 */
	@Override
	public void close() {
		this.group.eventLoopGroup()
			.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS)
			.awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
	}

}
