package io.dynamotrigger.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;

/**
 * A local DynamoDB and DynamoDB Streams endpoint for tests and samples: a
 * <a href="https://github.com/getmoto/moto">moto server</a> child process listening on a free
 * loopback port. Both APIs are served on the one {@link #endpoint()}.
 * <p>
 * The first start on a machine installs moto server into a Python virtualenv under
 * {@code ${XDG_CACHE_HOME:-~/.cache}/dynamo-trigger/moto-<version>}; this takes about 30 seconds and
 * needs Python 3 with venv and pip, with {@code python3} on the PATH. Later starts reuse it and take
 * under a second. Set the system property {@code dynamo-trigger.local.home} or the environment variable
 * {@code DYNAMO_TRIGGER_LOCAL_HOME} to use another directory. Each server writes its output to
 * {@code moto-<port>.log} in that directory.
 * <p>
 * The endpoint accepts any credentials, but the AWS SDK needs some to sign requests:
 * {@link #ACCESS_KEY_ID} and {@link #SECRET_ACCESS_KEY} are provided for that. Every server is stopped
 * when the JVM exits, whether or not it was closed.
 * <p>
 * Streams: {@link #start()} and {@link #shared()} serve moto's own stream model, one shard per stream
 * that never closes, with the same shard id and sequence numbers for every table.
 * {@link #start(StreamTopology)} serves streams shaped like the service's instead: several shards,
 * shards that close and get children, unique ids, trimming and iterator expiry.
 */
public final class LocalDynamoDb implements AutoCloseable {

	/** An access key id to sign requests to the local endpoint with; any value is accepted. */
	public static final String ACCESS_KEY_ID = "local";

	/** A secret access key to sign requests to the local endpoint with; any value is accepted. */
	public static final String SECRET_ACCESS_KEY = "local";

	private static final Logger logger = LoggerFactory.getLogger(LocalDynamoDb.class);

	private static final String REGION = "us-east-1";

	private static final int START_ATTEMPTS = 3;

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private static LocalDynamoDb shared;

	private final Process process;

	private final int port;

	private final Path log;

	private final boolean isShared;

	private final Thread stopOnExit;

	private LocalDynamoDb(Process process, int port, Path log, boolean isShared) {
		this.process = process;
		this.port = port;
		this.log = log;
		this.isShared = isShared;
		this.stopOnExit = new Thread(this::stop, "dynamo-trigger-moto-stop-" + port);
		Runtime.getRuntime().addShutdownHook(this.stopOnExit);
	}

	/**
	 * Starts a new server, installing moto server first if this machine does not have it yet.
	 * Returns once the server answers HTTP requests. Close it when done, or let the JVM stop it.
	 * @return the running server, with no tables
	 * @throws IllegalStateException if moto server cannot be installed or does not come up within 30 seconds
	 */
	public static LocalDynamoDb start() {
		return launch(false, null);
	}

	/**
	 * Starts a new server whose DynamoDB streams have the given shape instead of moto's own: several
	 * shards, shards that close and get children, trimming and iterator expiry (see
	 * {@link StreamTopology}). A small extension loaded into the moto server process models this;
	 * moto itself is the same as for {@link #start()}. Close it when done, or let the JVM stop it.
	 * @param topology the shape of every stream of this server
	 * @return the running server, with no tables
	 * @throws IllegalStateException if moto server cannot be installed or does not come up within 30 seconds
	 */
	public static LocalDynamoDb start(StreamTopology topology) {
		return launch(false, Objects.requireNonNull(topology, "topology"));
	}

	/**
	 * Returns the server shared by everything in this JVM, starting it on first use. Its state is
	 * shared too: give tables unique names, or {@link #reset()} between tests that run one at a time.
	 * {@link #close()} leaves it running; it stops when the JVM exits.
	 * @return the shared running server
	 * @throws IllegalStateException if moto server cannot be installed or does not come up within 30 seconds
	 */
	public static synchronized LocalDynamoDb shared() {
		if (shared == null) {
			shared = launch(true, null);
		}
		return shared;
	}

	/**
	 * The URI to pass to an AWS SDK client's {@code endpointOverride}, for DynamoDB and DynamoDB Streams alike.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.port);
	}

	/**
	 * Points an AWS SDK client builder at this server: endpoint, region and the local credentials.
	 * @param builder a client builder, e.g. {@code DynamoDbClient.builder()}
	 * @param <B> the builder's type
	 * @return the builder, to be built or configured further
	 */
	public <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
		return builder.endpointOverride(endpoint())
			.region(Region.of(REGION))
			.credentialsProvider(
					StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)));
	}

	/**
	 * The loopback port the server listens on.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * The region to configure AWS SDK clients with; resources exist per region, so all clients that
	 * should see the same tables must use this one.
	 * @return {@code us-east-1}
	 */
	public String region() {
		return REGION;
	}

	/**
	 * Deletes every table, stream and item this server holds (moto's {@code /moto-api/reset}).
	 * Not safe while other tests use the same server concurrently.
	 * @throws IllegalStateException if the server does not confirm the reset
	 */
	public void reset() {
		HttpRequest request = HttpRequest.newBuilder(endpoint().resolve("/moto-api/reset"))
				.POST(HttpRequest.BodyPublishers.noBody())
				.timeout(Duration.ofSeconds(10))
				.build();
		try {
			HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("moto server at " + endpoint() + " refused to reset: HTTP "
						+ response.statusCode() + " " + response.body());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not reset moto server at " + endpoint(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while resetting moto server at " + endpoint(), ex);
		}
	}

	/**
	 * Stops the server and waits up to 5 seconds for it to exit before killing it. Does nothing for
	 * the {@link #shared()} server, which other tests in this JVM may still use.
	 */
	@Override
	public void close() {
		if (!this.isShared) {
			stopNow();
		}
	}

	private static LocalDynamoDb launch(boolean isShared, StreamTopology topology) {
		MotoInstallation installation = MotoInstallation.inCacheDirectory();
		installation.ensureInstalled();
		long startedAt = System.nanoTime();
		for (int attempt = 1;; attempt++) {
			int port = freeLoopbackPort();
			Path log = installation.home().resolve("moto-" + port + ".log");
			Process process;
			try {
				List<String> command = (topology != null) ? installation.serverCommand(port, topology)
						: installation.serverCommand(port);
				process = new ProcessBuilder(command).redirectErrorStream(true)
						.redirectOutput(log.toFile())
						.start();
			}
			catch (IOException ex) {
				throw new IllegalStateException("Could not start moto server from " + installation.home()
						+ "; delete that directory to reinstall it", ex);
			}
			LocalDynamoDb server = new LocalDynamoDb(process, port, log, isShared);
			if (server.awaitAnswering()) {
				logger.info("moto server {} listening on {} (started in {} ms, log: {}){}", MotoInstallation.VERSION,
						server.endpoint(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt), log,
						(topology != null) ? ", streams: " + topology : "");
				return server;
			}
			server.stopNow();
			// Usually another process bound the port between our probe and moto's bind: try another port.
			if (attempt == START_ATTEMPTS) {
				throw new IllegalStateException("moto server exited before answering, " + START_ATTEMPTS
						+ " times. Last output (" + log + "):\n" + LogTail.of(log));
			}
		}
	}

	/**
	 * Waits until the server answers any HTTP request.
	 * @return {@code true} once it answers, {@code false} if the process exited first
	 */
	private boolean awaitAnswering() {
		HttpRequest probe = HttpRequest.newBuilder(endpoint().resolve("/moto-api/")).timeout(Duration.ofSeconds(1)).build();
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		try {
			while (System.nanoTime() < deadline) {
				if (!this.process.isAlive()) {
					return false;
				}
				try {
					http.send(probe, HttpResponse.BodyHandlers.discarding());
					return true;
				}
				catch (IOException notListeningYet) {
					Thread.sleep(POLL_INTERVAL.toMillis());
				}
			}
		}
		catch (InterruptedException ex) {
			stopNow();
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while starting moto server on port " + this.port, ex);
		}
		stopNow();
		throw new IllegalStateException("moto server did not answer on " + endpoint() + " within "
				+ START_TIMEOUT.toSeconds() + " s. Last output (" + this.log + "):\n" + LogTail.of(this.log));
	}

	private void stopNow() {
		try {
			Runtime.getRuntime().removeShutdownHook(this.stopOnExit);
		}
		catch (IllegalStateException ex) {
			// The JVM is already exiting: the hook stops the server anyway.
		}
		stop();
	}

	private void stop() {
		// Collected first: once the server is gone its children are re-parented and no longer found.
		List<ProcessHandle> descendants = this.process.descendants().toList();
		descendants.forEach(ProcessHandle::destroy);
		this.process.destroy();
		try {
			if (!this.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				descendants.forEach(ProcessHandle::destroyForcibly);
				this.process.destroyForcibly().waitFor();
			}
		}
		catch (InterruptedException ex) {
			descendants.forEach(ProcessHandle::destroyForcibly);
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private static int freeLoopbackPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not find a free port on 127.0.0.1", ex);
		}
	}

}
