package io.dynamotrigger.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads a benchmark's {@code --name=value} options over their defaults.
 */
final class BenchArguments {

	private BenchArguments() {
	}

	/**
	 * Reads the options.
	 * @param defaults every option's default, by name
	 * @param args the program's arguments; Maven passes all options as one argument, so they are split here
	 * @return every option's value, by name
	 * @throws IllegalArgumentException naming the options, for one that is not among them
	 */
	static Map<String, String> parse(Map<String, String> defaults, String... args) {
		Map<String, String> values = new HashMap<>(defaults);
		for (String arg : String.join(" ", args).trim().split("\\s+")) {
			if (arg.isEmpty()) {
				continue;
			}
			String[] parts = arg.replaceFirst("^--", "").split("=", 2);
			if (parts.length != 2 || !defaults.containsKey(parts[0])) {
				throw new IllegalArgumentException("Unknown option " + arg + "; the options are " + defaults.keySet());
			}
			values.put(parts[0], parts[1]);
		}
		return values;
	}

}
