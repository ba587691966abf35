package io.dynamotrigger.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * moto server installed in a Python virtualenv under the user's cache directory, so that only the
 * first run on a machine pays for the download.
 */
final class MotoInstallation {

	static final String VERSION = versionFromBuild();

	private static final String HOME_PROPERTY = "dynamo-trigger.local.home";

	private static final String HOME_ENV = "DYNAMO_TRIGGER_LOCAL_HOME";

	private static final String STAGING_PREFIX = "venv.installing-";

	private static final String TOPOLOGY_EXTENSION = "moto_stream_topology.py";

	private final Path home;

	private MotoInstallation(Path home) {
		this.home = home;
	}

	/**
	 * The installation in {@code dynamo-trigger.local.home}, {@code $DYNAMO_TRIGGER_LOCAL_HOME} or
	 * {@code ${XDG_CACHE_HOME:-~/.cache}/dynamo-trigger/moto-<version>}, whichever is set first.
	 */
	static MotoInstallation inCacheDirectory() {
		String configured = System.getProperty(HOME_PROPERTY, System.getenv(HOME_ENV));
		if (configured != null && !configured.isBlank()) {
			return new MotoInstallation(Paths.get(configured).toAbsolutePath());
		}
		String xdgCache = System.getenv("XDG_CACHE_HOME");
		Path cache = (xdgCache != null && !xdgCache.isBlank()) ? Paths.get(xdgCache)
				: Paths.get(System.getProperty("user.home"), ".cache");
		return new MotoInstallation(cache.resolve("dynamo-trigger").resolve("moto-" + VERSION).toAbsolutePath());
	}

	/** The directory holding the virtualenv, the lock file and the server logs. */
	Path home() {
		return this.home;
	}

	/**
	 * The command that runs moto server. It goes through the venv's interpreter rather than the
	 * {@code moto_server} script because pip writes the staging path into the script's shebang, and
	 * the staging directory is renamed once the install is complete.
	 */
	List<String> serverCommand(int port) {
		return List.of(venv().resolve("bin").resolve("python").toString(), "-m", "moto.server",
				"-H", "127.0.0.1", "-p", Integer.toString(port));
	}

	/**
	 * The command that runs moto server with the stream topology extension loaded: the extension's
	 * script takes the topology's options and hands the rest to moto's own server.
	 */
	List<String> serverCommand(int port, StreamTopology topology) {
		List<String> command = new ArrayList<>();
		command.add(venv().resolve("bin").resolve("python").toString());
		command.add(topologyExtension().toString());
		command.addAll(topology.serverArguments());
		command.addAll(List.of("-H", "127.0.0.1", "-p", Integer.toString(port)));
		return command;
	}

	/**
	 * The stream topology extension, copied from this jar into the installation directory once per
	 * content: the file name carries a digest of the content, so jars of different versions used
	 * side by side do not overwrite each other's copy.
	 */
	private Path topologyExtension() {
		byte[] script;
		try (InputStream in = MotoInstallation.class.getResourceAsStream(TOPOLOGY_EXTENSION)) {
			if (in == null) {
				throw new IllegalStateException(TOPOLOGY_EXTENSION + " is missing from the classpath; rebuild dynamo-trigger-test");
			}
			script = in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Path target = this.home.resolve("moto_stream_topology-" + digest(script) + ".py");
		if (Files.isRegularFile(target)) {
			return target;
		}
		try {
			Files.createDirectories(this.home);
			// Written aside and moved in, so a concurrent start never runs a half-written script.
			Path staging = Files.createTempFile(this.home, "moto_stream_topology-", ".tmp");
			Files.write(staging, script);
			Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			return target;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the stream topology extension into " + this.home, ex);
		}
	}

	private static String digest(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content), 0, 6);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
		}
	}

	/**
	 * Installs moto server unless it is already installed. Safe to call from several threads and
	 * several JVMs at once: one installs, the others wait for it and then reuse its result.
	 * @throws IllegalStateException if Python 3 is missing or pip fails
	 */
	void ensureInstalled() {
		if (Files.isDirectory(venv())) {
			return;
		}
		// A FileLock is held per JVM, not per thread: threads of this JVM queue on the monitor instead.
		synchronized (MotoInstallation.class) {
			try {
				Files.createDirectories(this.home);
				try (FileChannel channel = FileChannel.open(this.home.resolve("install.lock"),
						StandardOpenOption.CREATE, StandardOpenOption.WRITE);
						FileLock lock = channel.lock()) {
					if (!Files.isDirectory(venv())) {
						install();
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not install moto server into " + this.home, ex);
			}
		}
	}

	private Path venv() {
		return this.home.resolve("venv");
	}

	private void install() throws IOException {
		// The venv only appears under its final name once complete, so an interrupted install is never
		// mistaken for a finished one. Each JVM stages in its own directory because pip may outlive a
		// killed JVM and keep writing into the directory that JVM staged in.
		deleteAbandonedStagings();
		Path staging = this.home.resolve(STAGING_PREFIX + ProcessHandle.current().pid());
		Path log = this.home.resolve("install.log");
		Files.deleteIfExists(log);
		System.err.println("dynamo-trigger: installing moto[server] " + VERSION + " into " + venv()
				+ " (first run only, ~30 s)");
		run(log, "python3", "-m", "venv", staging.toString());
		run(log, staging.resolve("bin").resolve("pip").toString(), "install", "--quiet",
				"moto[server]==" + VERSION);
		Files.move(staging, venv(), StandardCopyOption.ATOMIC_MOVE);
		Files.delete(log);
	}

	private static void run(Path log, String... command) throws IOException {
		Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
					.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run '" + command[0] + "'. The local DynamoDB (moto server) "
					+ "needs Python 3 with venv and pip installed and python3 on the PATH.", ex);
		}
		int exitCode;
		try {
			exitCode = process.waitFor();
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while installing moto server", ex);
		}
		if (exitCode != 0) {
			throw new IllegalStateException("Installing moto[server] " + VERSION + " failed: '"
					+ String.join(" ", command) + "' exited with " + exitCode
					+ ". Python 3 with venv and pip is required. Output (" + log + "):\n" + LogTail.of(log));
		}
	}

	private void deleteAbandonedStagings() throws IOException {
		try (DirectoryStream<Path> stagings = Files.newDirectoryStream(this.home, STAGING_PREFIX + "*")) {
			for (Path staging : stagings) {
				try (Stream<Path> paths = Files.walk(staging)) {
					for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
						Files.delete(path);
					}
				}
				catch (IOException ex) {
					// An orphaned pip may still be writing there; the leftover only costs disk space.
				}
			}
		}
	}

	private static String versionFromBuild() {
		Properties properties = new Properties();
		try (InputStream in = MotoInstallation.class.getResourceAsStream("moto.properties")) {
			if (in != null) {
				properties.load(in);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		String version = properties.getProperty("moto.version");
		if (version == null || version.contains("${")) {
			throw new IllegalStateException(
					"moto.properties is missing or was not filtered by the build; rebuild dynamo-trigger-test");
		}
		return version;
	}

}
