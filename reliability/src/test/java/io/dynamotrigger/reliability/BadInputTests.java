package io.dynamotrigger.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import io.dynamotrigger.test.LocalDynamoDb;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Items that do not all fit the trigger's item class ({@link Input}, on table {@code Inputs}): wrong
 * attribute types, missing attributes, items close to the 400 KB limit, sets and binaries, 30 levels of
 * nesting, and a sort key the class's {@code int} cannot hold (DynamoDB refuses items without their key
 * attributes, so that is the closest to a record whose key does not map). Each kind is written once per
 * round, 2 rounds (50 in the profile), then one good item; each item is either handled or dead-lettered
 * with a reason that names the attribute, as the kind expects, and the consumer keeps going.
 * <p>
 * The Enhanced Client's converters are lenient where text is wanted: a {@code String} property takes any
 * attribute type as text (a {@code BOOL}, a number set, a 30-level map in a {@code Map<String, String>}'s
 * value), and an {@code Integer} takes a numeric string. Those items are handled, as written down here.
 */
class BadInputTests {

	private static final String SCENARIO = "bad-input";

	private static final String LATER = "later-good";

	/** moto refuses items whose size it counts above 400 KB; this note with the keys stays just below. */
	private static final int MAX_NOTE = 404_000;

	private static final int NESTING = 30;

	private static final String ALL_NULL = "count=null note=null tags=null numbers=null payload=null blobs=null labels=null";

	/** The kinds of item, with their attributes besides the key and what is to become of them. */
	private static final List<Kind> KINDS = List.of(
			new Kind("good", (round) -> Map.of("count", n("1"), "note", s("fine")),
					"handled count=1 note=4 tags=null numbers=null payload=null blobs=null labels=null"),
			new Kind("string-for-int", (round) -> Map.of("count", s("seven")),
					"dead-lettered NON_RETRYABLE: attribute 'count' (of type S) does not fit"),
			new Kind("numeric-string-for-int", (round) -> Map.of("count", s("7")),
					"handled count=7 note=null tags=null numbers=null payload=null blobs=null labels=null"),
			new Kind("fraction-for-int", (round) -> Map.of("count", n("1.5")),
					"dead-lettered NON_RETRYABLE: attribute 'count' (of type N) does not fit"),
			new Kind("null-for-int", (round) -> Map.of("count", AttributeValue.fromNul(true)), "handled " + ALL_NULL),
			new Kind("bool-for-string", (round) -> Map.of("note", AttributeValue.fromBool(true)),
					"handled count=null note=4 tags=null numbers=null payload=null blobs=null labels=null"),
			new Kind("missing-attributes", (round) -> Map.of(), "handled " + ALL_NULL),
			new Kind("max-size", (round) -> Map.of("note", s("x".repeat(MAX_NOTE))),
					"handled count=null note=" + MAX_NOTE + " tags=null numbers=null payload=null blobs=null labels=null"),
			new Kind("max-size-failing", (round) -> Map.of("count", s("seven"), "note", s("x".repeat(MAX_NOTE - 100))),
					"dead-lettered NON_RETRYABLE: attribute 'count' (of type S) does not fit"),
			new Kind("sets-and-binary",
					(round) -> Map.of("tags", AttributeValue.fromSs(List.of("a", "b", "c")), "numbers",
							AttributeValue.fromNs(List.of("1", "2", "3")), "payload",
							AttributeValue.fromB(SdkBytes.fromByteArray(new byte[16])), "blobs",
							AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] { 1 }),
									SdkBytes.fromByteArray(new byte[] { 2, 3 })))),
					"handled count=null note=null tags=3 numbers=3 payload=16 blobs=2 labels=null"),
			new Kind("number-set-for-string-set", (round) -> Map.of("tags", AttributeValue.fromNs(List.of("1", "2"))),
					"handled count=null note=null tags=2 numbers=null payload=null blobs=null labels=null"),
			new Kind("string-for-binary", (round) -> Map.of("payload", s("not bytes")),
					"dead-lettered NON_RETRYABLE: attribute 'payload' (of type S) does not fit"),
			new Kind("numbers-for-string-map", (round) -> Map.of("labels", AttributeValue.fromM(Map.of("a", n("1")))),
					"handled count=null note=null tags=null numbers=null payload=null blobs=null labels=1"),
			new Kind("deep-map-for-string-map", (round) -> Map.of("labels", nested(NESTING)),
					"handled count=null note=null tags=null numbers=null payload=null blobs=null labels=1"),
			new Kind("deep-attribute-not-in-class", (round) -> Map.of("extra", nested(NESTING)), "handled " + ALL_NULL));

	@Test
	void everyItemIsHandledOrDeadLetteredNamingTheAttributeAndLaterItemsAreHandled() {
		int runs = Scale.runs(1, 1);
		int rounds = Scale.records(2, 50);
		for (int run = 1; run <= runs; run++) {
			runOnce(run, runs, rounds);
		}
	}

	private void runOnce(int run, int runs, int rounds) {
		try (LocalDynamoDb moto = LocalDynamoDb.start(); Workload workload = Workload.create(moto.endpoint())) {
			workload.createInputs();
			try (AppProcess app = AppProcess.start("app", moto.endpoint(), moto.endpoint(),
					Report.log(SCENARIO, run, "app"), "--reliability.inputs=true")) {
				app.awaitOutput("Took the lease of table " + InputRecorder.INPUTS, 1, Duration.ofMinutes(2));
				long start = System.nanoTime();
				Map<String, String> expected = new LinkedHashMap<>();
				for (int round = 1; round <= rounds; round++) {
					for (Kind kind : KINDS) {
						write(workload, kind.key(), round, kind.attributes().apply(round));
						expected.put(kind.key() + "/" + round, kind.expected());
					}
					write(workload, "seq-beyond-int", 3_000_000_000L + round, Map.of());
					expected.put("seq-beyond-int/" + (3_000_000_000L + round),
							"dead-lettered NON_RETRYABLE: attribute 'seq' (of type N) does not fit");
				}
				write(workload, LATER, 1, Map.of("count", n("1")));
				expected.put(LATER + "/1",
						"handled count=1 note=null tags=null numbers=null payload=null blobs=null labels=null");
				double writtenSeconds = (System.nanoTime() - start) / 1e9;

				Map<String, String> outcomes = new LinkedHashMap<>();
				app.awaitTrue(() -> {
					outcomes.clear();
					outcomes.putAll(outcomes(workload, expected.keySet()));
					return !outcomes.containsValue("none");
				}, "an outcome for every item", Duration.ofMinutes(5));
				double doneSeconds = (System.nanoTime() - start) / 1e9;
				app.stop();
				Tally tally = tally(workload, expected);
				Report.line(SCENARIO, run, runs, tally,
						String.format("%d rounds of %d kinds + 1 later good item, dead letters %d, outcomes by kind %s,"
								+ " written in %.1f s, all done %.1f s after the first write", rounds, KINDS.size() + 1,
								workload.deadLetters().size(), byKind(outcomes), writtenSeconds, doneSeconds));

				expected.forEach((item, outcome) -> assertThat(outcomes.get(item)).as(item).startsWith(outcome));
				assertThat(tally.lost()).isZero();
				assertThat(tally.duplicates()).isZero();
				assertThat(tally.orderViolations()).isZero();
				assertThat(app.output()).doesNotContain("Skipping over the following data records");
			}
		}
	}

	/** What became of each item: {@code handled <received>}, {@code dead-lettered <message>} or {@code none}. */
	private static Map<String, String> outcomes(Workload workload, Set<String> items) {
		Map<String, String> outcomes = new HashMap<>();
		for (Map<String, AttributeValue> call : workload.callItems()) {
			outcomes.merge(call.get("key").s() + "/" + call.get("seq").n(), "handled " + call.get("received").s(),
					(first, second) -> first + " AND AGAIN " + second);
		}
		for (Map<String, AttributeValue> deadLetter : workload.deadLetters()) {
			Map<String, AttributeValue> keys = deadLetter.get("keys").m();
			outcomes.merge(keys.get("key").s() + "/" + keys.get("seq").n(),
					"dead-lettered " + deadLetter.get("reason").s() + ": " + problem(deadLetter.get("exceptionMessage").s()),
					(first, second) -> first + " AND " + second);
		}
		Map<String, String> all = new LinkedHashMap<>();
		items.forEach((item) -> all.put(item, outcomes.getOrDefault(item, "none")));
		return all;
	}

	/** The part of a mapping failure's message that names the attribute, without the value's details. */
	private static String problem(String message) {
		int start = message.indexOf("attribute '");
		int end = message.indexOf("does not fit");
		return (start >= 0 && end > start) ? message.substring(start, end + "does not fit".length()) : message;
	}

	/** The oracle's tally over the items with an {@code int} sequence number, the dead-lettered ones excepted. */
	private static Tally tally(Workload workload, Map<String, String> expected) {
		Map<String, Long> written = new HashMap<>();
		List<String> deadLettered = new ArrayList<>();
		expected.forEach((item, outcome) -> {
			String key = item.substring(0, item.indexOf('/'));
			long seq = Long.parseLong(item.substring(item.indexOf('/') + 1));
			if (seq <= Integer.MAX_VALUE) {
				written.merge(key, seq, Math::max);
				if (outcome.startsWith("dead-lettered")) {
					deadLettered.add(item);
				}
			}
		});
		return Tally.of(written, Set.copyOf(deadLettered), workload.calls());
	}

	private static Map<String, Map<String, Long>> byKind(Map<String, String> outcomes) {
		return outcomes.entrySet()
			.stream()
			.collect(Collectors.groupingBy((entry) -> entry.getKey().substring(0, entry.getKey().indexOf('/')),
					TreeMap::new, Collectors.groupingBy(Map.Entry::getValue, TreeMap::new, Collectors.counting())));
	}

	private static void write(Workload workload, String key, long seq, Map<String, AttributeValue> attributes) {
		Map<String, AttributeValue> item = new HashMap<>(attributes);
		item.put("key", s(key));
		item.put("seq", n(Long.toString(seq)));
		workload.putInput(item);
	}

	/** Maps and lists in turn, {@code levels} deep, the outermost a map. */
	private static AttributeValue nested(int levels) {
		AttributeValue value = s("leaf");
		for (int level = levels; level > 0; level--) {
			value = (level % 2 == 1) ? AttributeValue.fromM(Map.of("inner", value)) : AttributeValue.fromL(List.of(value));
		}
		return value;
	}

	private static AttributeValue s(String value) {
		return AttributeValue.fromS(value);
	}

	private static AttributeValue n(String value) {
		return AttributeValue.fromN(value);
	}

	private record Kind(String key, IntFunction<Map<String, AttributeValue>> attributes, String expected) {
	}

}
