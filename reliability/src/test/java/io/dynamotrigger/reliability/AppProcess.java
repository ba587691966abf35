package io.dynamotrigger.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@link OracleApplication} in its own JVM, started from this test JVM's classpath; its output goes
 * to a log file that the suite reads.
 */
final class AppProcess implements AutoCloseable {

	static final String TOOK_LEASE = "Took the lease of table Events";

	static final String LEASE_MOVED = "Lease of table Events shard";

	private static final Pattern HANDLED = Pattern.compile("^HANDLED (\\d+)$", Pattern.MULTILINE);

	private static final Pattern LAG = Pattern.compile("^LAG (\\d+) LEASES (\\d+)$", Pattern.MULTILINE);

	private static final Pattern STARTED_AFTER = Pattern.compile("starting after (\\S+)");

	private static final Pattern TOOK_SHARD = Pattern.compile("Took the lease of table Events shard (\\S+) ");

	private static final Pattern SHARD_CHANGE = Pattern.compile(
			"(Took the lease of table Events shard|Lease of table Events shard|Table Events shard) (\\S+) "
					+ "(for trigger|moved to another worker|ended with every record done)");

	private final String name;

	private final Path log;

	private final Process process;

	private AppProcess(String name, Path log, Process process) {
		this.name = name;
		this.log = log;
		this.process = process;
	}

	/**
	 * Starts an instance.
	 * @param name its name in the oracle and in the log file's name
	 * @param triggerEndpoint where its consumer reads (the endpoint, or a proxy in front of it)
	 * @param oracleEndpoint where it records its calls
	 * @param log the file for its output
	 * @param settings further command-line properties, {@code --name=value}
	 */
	static AppProcess start(String name, URI triggerEndpoint, URI oracleEndpoint, Path log, String... settings) {
		String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Daws.accessKeyId=local",
				"-Daws.secretAccessKey=local", "-cp", classpath, OracleApplication.class.getName(),
				"--dynamo-trigger.aws.endpoint=" + triggerEndpoint, "--dynamo-trigger.aws.region=us-east-1",
				"--reliability.oracle-endpoint=" + oracleEndpoint, "--reliability.instance=" + name));
		command.addAll(List.of(settings));
		try {
			Files.createDirectories(log.getParent());
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			return new AppProcess(name, log, process);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + name, ex);
		}
	}

	String name() {
		return this.name;
	}

	Path log() {
		return this.log;
	}

	String output() {
		try {
			return Files.exists(this.log) ? Files.readString(this.log) : "";
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	int occurrences(String text) {
		String output = output();
		int count = 0;
		for (int at = output.indexOf(text); at >= 0; at = output.indexOf(text, at + 1)) {
			count++;
		}
		return count;
	}

	/** Whether this instance holds the lease now, as far as its log says. */
	boolean holdsLease() {
		return occurrences(TOOK_LEASE) > occurrences(LEASE_MOVED);
	}

	/** Where this instance's last lease started reading, as its log says. */
	String startedAfter() {
		Matcher matcher = STARTED_AFTER.matcher(output());
		String last = "?";
		while (matcher.find()) {
			last = matcher.group(1);
		}
		return last;
	}

	/** The number of calls the instance reported last (it reports every 50). */
	long handled() {
		Matcher matcher = HANDLED.matcher(output());
		long last = 0;
		while (matcher.find()) {
			last = Long.parseLong(matcher.group(1));
		}
		return last;
	}

	/** The shards of table {@code Events} this instance took, in the order it took them, with repeats. */
	List<String> shardsTaken() {
		Matcher matcher = TOOK_SHARD.matcher(output());
		List<String> shards = new ArrayList<>();
		while (matcher.find()) {
			shards.add(matcher.group(1));
		}
		return shards;
	}

	/**
	 * The shards of table {@code Events} this instance holds now as far as its log says: taken and since then
	 * neither moved to another worker nor ended.
	 */
	Set<String> shardsHeld() {
		Matcher matcher = SHARD_CHANGE.matcher(output());
		Set<String> held = new HashSet<>();
		while (matcher.find()) {
			if (matcher.group(3).equals("for trigger")) {
				held.add(matcher.group(2));
			}
			else {
				held.remove(matcher.group(2));
			}
		}
		return held;
	}

	/** The shards of table {@code Events} the instance processes now, as its last {@code LAG} line says. */
	int leases() {
		List<LagReport> reports = lagReports();
		return reports.isEmpty() ? 0 : reports.get(reports.size() - 1).leases();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/** The lag and held leases of table {@code Events} the instance reported, in order (it reports changes). */
	List<LagReport> lagReports() {
		Matcher matcher = LAG.matcher(output());
		List<LagReport> reports = new ArrayList<>();
		while (matcher.find()) {
			reports.add(new LagReport(Long.parseLong(matcher.group(1)), Integer.parseInt(matcher.group(2))));
		}
		return reports;
	}

	/**
	 * One {@code LAG} line of the instance.
	 * @param lagMillis the largest {@code dynamo.trigger.lag} gauge
	 * @param leases the {@code dynamo.trigger.leases} gauge
	 */
	record LagReport(long lagMillis, int leases) {
	}

	/**
	 * Waits until the output contains the text {@code times} times.
	 * @throws AssertionError if it does not within the timeout, or the process exits first
	 */
	void awaitOutput(String text, int times, Duration timeout) {
		awaitTrue(() -> occurrences(text) >= times, "'" + text + "' x" + times, timeout);
	}

	void awaitHandled(long calls, Duration timeout) {
		awaitTrue(() -> handled() >= calls, calls + " calls", timeout);
	}

	void awaitTrue(java.util.function.BooleanSupplier condition, String what, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (!this.process.isAlive()) {
				throw new AssertionError(this.name + " exited (" + this.process.exitValue() + ") before " + what
						+ "; see " + this.log);
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError(this.name + " did not reach " + what + " within " + timeout + "; see "
						+ this.log);
			}
			sleep(100);
		}
	}

	/** {@code kill -9}: no shutdown hook, no checkpoint, the lease stays until it expires. */
	void kill() {
		this.process.destroyForcibly();
		waitFor(Duration.ofSeconds(10));
	}

	/** SIGTERM: Spring's graceful stop. */
	void stop() {
		this.process.destroy();
		if (!waitFor(Duration.ofSeconds(60))) {
			throw new AssertionError(this.name + " did not stop within 60 s after SIGTERM; see " + this.log);
		}
	}

	private boolean waitFor(Duration timeout) {
		try {
			return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
			waitFor(Duration.ofSeconds(10));
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
