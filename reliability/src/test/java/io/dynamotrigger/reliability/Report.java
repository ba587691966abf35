package io.dynamotrigger.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * One line per scenario run, on the console and appended to {@code target/reliability/summary.txt}.
 */
final class Report {

	static final Path DIRECTORY = Path.of(System.getProperty("reliability.reports", "target/reliability"));

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

	private Report() {
	}

	static Path log(String scenario, int run, String instance) {
		return DIRECTORY.resolve(scenario + "-run" + run + "-" + instance + ".log");
	}

	static void line(String scenario, int run, int runs, Tally tally, String extra) {
		String line = String.format("RELIABILITY %s run %d/%d: written %d, handled %d, lost %d, order violations %d,"
				+ " duplicates %d (same instance %d), calls %s%s", scenario, run, runs, tally.written(),
				tally.handled(), tally.lost(), tally.orderViolations(), tally.duplicates(),
				tally.sameInstanceDuplicates(), tally.callsPerInstance(), extra.isEmpty() ? "" : ", " + extra);
		System.out.println(line);
		try {
			Files.createDirectories(DIRECTORY);
			Files.writeString(DIRECTORY.resolve("summary.txt"),
					LocalDateTime.now().format(TIMESTAMP) + " " + line + System.lineSeparator(),
					StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
