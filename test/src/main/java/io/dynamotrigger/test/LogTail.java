package io.dynamotrigger.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The last lines of a process's log, for error messages that should say why the process failed
 * without making the reader open the file.
 */
final class LogTail {

	private static final int LINES = 30;

	private LogTail() {
	}

	static String of(Path log) {
		try {
			// Decoding leniently: a log tail with a replaced byte still explains the failure.
			List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
			return String.join("\n", lines.subList(Math.max(0, lines.size() - LINES), lines.size()));
		}
		catch (IOException ex) {
			return "(could not read " + log + ": " + ex + ")";
		}
	}

}
