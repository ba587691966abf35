package io.dynamotrigger.filter;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/**
 * A filter pattern for DynamoDB stream records in the syntax of AWS Lambda's event filtering, for example
 * <pre>{@code
 * {"eventName": ["MODIFY"],
 *  "dynamodb": {"NewImage": {"status": {"S": ["ACTIVE"]}, "rating": {"N": [{"numeric": [">=", 4]}]}}}}
 * }</pre>
 * A pattern follows the record's JSON shape ({@code eventName}, {@code eventID}, {@code eventSource},
 * {@code eventVersion}, {@code awsRegion}, {@code userIdentity.type}/{@code principalId}, and under
 * {@code dynamodb}: {@code Keys}, {@code NewImage}, {@code OldImage} with attribute values in DynamoDB's
 * {@code {"S": ...}} shape, {@code SequenceNumber}, {@code StreamViewType}, {@code SizeBytes},
 * {@code ApproximateCreationDateTime}). Its leaves are arrays of conditions, any of which may match; all
 * fields must match. Conditions: a value (equals), {@code {"prefix": "x"}}, {@code {"suffix": "x"}},
 * {@code {"equals-ignore-case": "x"}}, {@code {"anything-but": value, [values] or {"prefix": "x"}}},
 * {@code {"exists": true|false}} and {@code {"numeric": [">", 0, "<=", 5]}}. Unlike Lambda, numbers
 * ({@code N}, {@code NS}) compare as numbers, for equals and ranges. A set ({@code SS}, {@code NS}) matches
 * when one of its elements does; a map ({@code M}) is matched like an image.
 *
 * <p>The JSON is parsed and checked once, by {@link #parse}; matching reads the record's fields and
 * attribute values directly.
 */
public final class EventPattern implements Predicate<Record> {

	private final String source;

	private final Predicate<Record> matcher;

	private final boolean readsNewImage;

	private final boolean readsOldImage;

	private EventPattern(String source, Compiler compiler, Predicate<Record> matcher) {
		this.source = source;
		this.matcher = matcher;
		this.readsNewImage = compiler.readsNewImage;
		this.readsOldImage = compiler.readsOldImage;
	}

	/**
	 * Parses and checks a pattern.
	 * @param json the pattern
	 * @return the pattern, ready to match records
	 * @throws IllegalArgumentException saying where the pattern is wrong and why: the line and column of a
	 * JSON syntax error, or the path of a field or condition that does not fit, e.g.
	 * {@code dynamodb.NewImage.rating.N[0]}
	 */
	public static EventPattern parse(String json) {
		JsonNode root;
		try {
			root = JsonMapper.builder()
				.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
				.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
				.build()
				.readTree(json);
		}
		catch (JsonProcessingException ex) {
			JsonLocation location = ex.getLocation();
			throw new IllegalArgumentException("not valid JSON"
					+ ((location != null) ? " at line " + location.getLineNr() + ", column " + location.getColumnNr()
							: "")
					+ ": " + ex.getOriginalMessage());
		}
		if (root == null || root.isMissingNode()) {
			throw new IllegalArgumentException("the pattern is empty; write a JSON object such as"
					+ " {\"eventName\": [\"INSERT\"]}");
		}
		Compiler compiler = new Compiler();
		return new EventPattern(json, compiler, compiler.record(root));
	}

	/**
	 * Tells whether a record matches the pattern.
	 * @param record the stream record
	 * @return whether it matches
	 */
	@Override
	public boolean test(Record record) {
		return this.matcher.test(record);
	}

	/**
	 * Tells whether the pattern reads the new image, which only view types with a new image carry.
	 * @return whether it matches on {@code dynamodb.NewImage}
	 */
	public boolean readsNewImage() {
		return this.readsNewImage;
	}

	/**
	 * Tells whether the pattern reads the old image, which only view types with an old image carry.
	 * @return whether it matches on {@code dynamodb.OldImage}
	 */
	public boolean readsOldImage() {
		return this.readsOldImage;
	}

	/**
	 * Returns the pattern as it was written.
	 * @return the JSON
	 */
	@Override
	public String toString() {
		return this.source;
	}

	private enum Kind {

		STRING("a string", "S values are strings: write \"5\", not 5"),

		NUMBER("a number", "numbers are written as 5 or \"5\""),

		BOOLEAN("true or false", "booleans are written as true or false");

		final String description;

		final String hint;

		Kind(String description, String hint) {
			this.description = description;
			this.hint = hint;
		}

	}

	/**
	 * One condition of a leaf, on the leaf's value ({@code null} when the record does not have it).
	 */
	@FunctionalInterface
	private interface Condition {

		boolean matches(Object value);

	}

	private static final class Compiler {

		private static final String RECORD_FIELDS = "eventName, eventID, eventSource, eventVersion, awsRegion,"
				+ " userIdentity, dynamodb";

		private static final String OPERATORS = "prefix, suffix, equals-ignore-case, anything-but, exists, numeric";

		boolean readsNewImage;

		boolean readsOldImage;

		Predicate<Record> record(JsonNode node) {
			List<Predicate<Record>> all = new ArrayList<>();
			for (Map.Entry<String, JsonNode> field : object(node, "the pattern").properties()) {
				String name = field.getKey();
				JsonNode value = field.getValue();
				switch (name) {
					case "eventName" -> all.add(leaf(value, name, Kind.STRING, Record::eventNameAsString));
					case "eventID" -> all.add(leaf(value, name, Kind.STRING, Record::eventID));
					case "eventSource" -> all.add(leaf(value, name, Kind.STRING, Record::eventSource));
					case "eventVersion" -> all.add(leaf(value, name, Kind.STRING, Record::eventVersion));
					case "awsRegion" -> all.add(leaf(value, name, Kind.STRING, Record::awsRegion));
					case "userIdentity" -> all.add(userIdentity(value, name));
					case "dynamodb" -> all.add(dynamodb(value, name));
					default -> throw invalid(name, "unknown field; a record has " + RECORD_FIELDS);
				}
			}
			return allOf(all);
		}

		private Predicate<Record> userIdentity(JsonNode node, String path) {
			List<Predicate<Identity>> all = new ArrayList<>();
			for (Map.Entry<String, JsonNode> field : object(node, path).properties()) {
				String at = path + "." + field.getKey();
				switch (field.getKey()) {
					case "type" -> all.add(leaf(field.getValue(), at, Kind.STRING, Identity::type));
					case "principalId" -> all.add(leaf(field.getValue(), at, Kind.STRING, Identity::principalId));
					default -> throw invalid(at, "unknown field; userIdentity has type and principalId");
				}
			}
			Predicate<Identity> identity = allOf(all);
			Identity absent = Identity.builder().build();
			return (record) -> identity.test((record.userIdentity() != null) ? record.userIdentity() : absent);
		}

		private Predicate<Record> dynamodb(JsonNode node, String path) {
			List<Predicate<StreamRecord>> all = new ArrayList<>();
			for (Map.Entry<String, JsonNode> field : object(node, path).properties()) {
				String at = path + "." + field.getKey();
				JsonNode value = field.getValue();
				switch (field.getKey()) {
					case "Keys" -> all.add(image(value, at, StreamRecord::keys));
					case "NewImage" -> {
						this.readsNewImage = true;
						all.add(image(value, at, (change) -> change.hasNewImage() ? change.newImage() : null));
					}
					case "OldImage" -> {
						this.readsOldImage = true;
						all.add(image(value, at, (change) -> change.hasOldImage() ? change.oldImage() : null));
					}
					case "SequenceNumber" -> all.add(leaf(value, at, Kind.STRING, StreamRecord::sequenceNumber));
					case "StreamViewType" ->
						all.add(leaf(value, at, Kind.STRING, StreamRecord::streamViewTypeAsString));
					case "SizeBytes" -> all.add(leaf(value, at, Kind.NUMBER, StreamRecord::sizeBytes));
					case "ApproximateCreationDateTime" -> all.add(leaf(value, at, Kind.NUMBER, (change) -> {
						Instant created = change.approximateCreationDateTime();
						return (created != null) ? created.getEpochSecond() : null;
					}));
					default -> throw invalid(at, "unknown field; dynamodb has Keys, NewImage, OldImage, SequenceNumber,"
							+ " StreamViewType, SizeBytes and ApproximateCreationDateTime");
				}
			}
			Predicate<StreamRecord> change = allOf(all);
			return (record) -> record.dynamodb() != null && change.test(record.dynamodb());
		}

		private <S> Predicate<S> image(JsonNode node, String path,
				Function<S, Map<String, AttributeValue>> attributes) {
			List<Predicate<S>> all = new ArrayList<>();
			for (Map.Entry<String, JsonNode> field : object(node, path).properties()) {
				String name = field.getKey();
				Predicate<AttributeValue> attribute = attribute(field.getValue(), path + "." + name);
				all.add((source) -> {
					Map<String, AttributeValue> image = attributes.apply(source);
					return attribute.test((image != null) ? image.get(name) : null);
				});
			}
			return allOf(all);
		}

		private Predicate<AttributeValue> attribute(JsonNode node, String path) {
			if (!node.isObject()) {
				throw invalid(path, "an attribute is matched by its type, e.g. {\"S\": [\"x\"]} or"
						+ " {\"N\": [{\"exists\": false}]}, not " + node);
			}
			List<Predicate<AttributeValue>> all = new ArrayList<>();
			for (Map.Entry<String, JsonNode> field : object(node, path).properties()) {
				String type = field.getKey();
				String at = path + "." + type;
				JsonNode value = field.getValue();
				switch (type) {
					case "S" -> all.add(leaf(value, at, Kind.STRING, (attribute) -> attribute.s()));
					case "N" -> all.add(leaf(value, at, Kind.NUMBER, (attribute) -> attribute.n()));
					case "BOOL" -> all.add(leaf(value, at, Kind.BOOLEAN, (attribute) -> attribute.bool()));
					case "NULL" -> all.add(leaf(value, at, Kind.BOOLEAN, (attribute) -> attribute.nul()));
					case "SS" -> all.add(leaf(value, at, Kind.STRING,
							(attribute) -> attribute.hasSs() ? attribute.ss() : null));
					case "NS" -> all.add(leaf(value, at, Kind.NUMBER,
							(attribute) -> attribute.hasNs() ? attribute.ns() : null));
					case "M" -> all.add(image(value, at, (attribute) -> attribute.hasM() ? attribute.m() : null));
					case "B", "BS", "L" -> throw invalid(at,
							"matching " + type + " values is not supported; match S, N, BOOL, NULL, SS, NS or M");
					default -> throw invalid(at,
							"unknown attribute type; DynamoDB's are S, N, B, BOOL, NULL, SS, NS, BS, M and L");
				}
			}
			Predicate<AttributeValue> attribute = allOf(all);
			AttributeValue absent = AttributeValue.builder().build();
			return (value) -> attribute.test((value != null) ? value : absent);
		}

		private <S> Predicate<S> leaf(JsonNode node, String path, Kind kind, Function<S, ?> value) {
			if (!node.isArray()) {
				throw invalid(path, "expected an array of values or conditions, e.g. [\"x\"] or"
						+ " [{\"prefix\": \"x\"}], not " + node);
			}
			if (node.isEmpty()) {
				throw invalid(path, "an empty array matches nothing; list at least one value or condition");
			}
			Condition[] conditions = new Condition[node.size()];
			boolean[] onElements = new boolean[node.size()];
			for (int i = 0; i < node.size(); i++) {
				JsonNode element = node.get(i);
				conditions[i] = condition(element, path + "[" + i + "]", kind);
				onElements[i] = !(element.isObject() && element.has("exists"));
			}
			return (source) -> {
				Object found = value.apply(source);
				for (int i = 0; i < conditions.length; i++) {
					if (found instanceof List<?> elements && onElements[i]) {
						for (Object element : elements) {
							if (conditions[i].matches(element)) {
								return true;
							}
						}
					}
					else if (conditions[i].matches(found)) {
						return true;
					}
				}
				return false;
			};
		}

		private Condition condition(JsonNode node, String path, Kind kind) {
			if (!node.isObject()) {
				Predicate<Object> equal = equalTo(node, path, kind);
				return (value) -> value != null && equal.test(value);
			}
			if (node.size() != 1) {
				throw invalid(path, "a condition is an object with one operator (" + OPERATORS + "), not " + node);
			}
			Map.Entry<String, JsonNode> operator = node.properties().iterator().next();
			String at = path + "." + operator.getKey();
			JsonNode operand = operator.getValue();
			return switch (operator.getKey()) {
				case "prefix", "suffix", "equals-ignore-case" -> {
					Predicate<Object> text = text(operator.getKey(), operand, at, kind);
					yield (value) -> value != null && text.test(value);
				}
				case "anything-but" -> {
					Predicate<Object> excluded = anythingBut(operand, at, kind);
					yield (value) -> value != null && !excluded.test(value);
				}
				case "exists" -> {
					if (!operand.isBoolean()) {
						throw invalid(at, "exists takes true or false, not " + operand);
					}
					boolean expected = operand.booleanValue();
					yield (value) -> (value != null) == expected;
				}
				case "numeric" -> {
					Predicate<BigDecimal> range = numeric(operand, at, kind);
					yield (value) -> value != null && range.test(number(value));
				}
				case "cidr", "wildcard" -> throw invalid(at, operator.getKey() + " is not supported for DynamoDB records");
				default -> throw invalid(at, "unknown operator; the operators are " + OPERATORS);
			};
		}

		private Predicate<Object> equalTo(JsonNode node, String path, Kind kind) {
			if (node.isNull()) {
				throw invalid(path, "null matches nothing in a DynamoDB record; use {\"exists\": false} for an absent"
						+ " value, or {\"NULL\": [true]} for a NULL attribute");
			}
			if (node.isArray()) {
				throw invalid(path, "arrays do not nest; list the values in one array");
			}
			switch (kind) {
				case STRING -> {
					if (!node.isTextual()) {
						throw invalid(path, "expected " + kind.description + ", not " + node + "; " + kind.hint);
					}
					String expected = node.textValue();
					return expected::equals;
				}
				case NUMBER -> {
					BigDecimal expected = numberOperand(node, path);
					return (value) -> number(value).compareTo(expected) == 0;
				}
				default -> {
					if (!node.isBoolean()) {
						throw invalid(path, "expected " + kind.description + ", not " + node + "; " + kind.hint);
					}
					Boolean expected = node.booleanValue();
					return expected::equals;
				}
			}
		}

		private Predicate<Object> text(String operator, JsonNode operand, String path, Kind kind) {
			if (kind != Kind.STRING) {
				throw invalid(path, operator + " applies to strings only; this value is " + kind.description);
			}
			if (!operand.isTextual()) {
				throw invalid(path, operator + " takes a string, not " + operand);
			}
			String expected = operand.textValue();
			return switch (operator) {
				case "prefix" -> (value) -> ((String) value).startsWith(expected);
				case "suffix" -> (value) -> ((String) value).endsWith(expected);
				default -> (value) -> ((String) value).equalsIgnoreCase(expected);
			};
		}

		private Predicate<Object> anythingBut(JsonNode operand, String path, Kind kind) {
			if (operand.isObject()) {
				if (operand.size() != 1) {
					throw invalid(path, "anything-but takes a value, an array of values, or one of {\"prefix\": ...},"
							+ " {\"suffix\": ...}, {\"equals-ignore-case\": ...}; not " + operand);
				}
				Map.Entry<String, JsonNode> inner = operand.properties().iterator().next();
				String at = path + "." + inner.getKey();
				return switch (inner.getKey()) {
					case "prefix", "suffix", "equals-ignore-case" -> text(inner.getKey(), inner.getValue(), at, kind);
					default -> throw invalid(at, "anything-but takes prefix, suffix or equals-ignore-case here");
				};
			}
			if (operand.isArray()) {
				if (operand.isEmpty()) {
					throw invalid(path, "anything-but needs at least one value");
				}
				List<Predicate<Object>> values = new ArrayList<>();
				for (int i = 0; i < operand.size(); i++) {
					values.add(equalTo(operand.get(i), path + "[" + i + "]", kind));
				}
				return (value) -> {
					for (Predicate<Object> excluded : values) {
						if (excluded.test(value)) {
							return true;
						}
					}
					return false;
				};
			}
			return equalTo(operand, path, kind);
		}

		private Predicate<BigDecimal> numeric(JsonNode operand, String path, Kind kind) {
			if (kind != Kind.NUMBER) {
				throw invalid(path, "numeric applies to numbers (N, NS, SizeBytes) only; this value is "
						+ kind.description);
			}
			if (!operand.isArray() || (operand.size() != 2 && operand.size() != 4)) {
				throw invalid(path, "numeric takes [operator, number] or [\">\" or \">=\", number, \"<\" or \"<=\","
						+ " number], not " + operand);
			}
			Predicate<BigDecimal> first = comparison(operand, 0, path, (operand.size() == 4) ? List.of(">", ">=")
					: List.of("=", "<", "<=", ">", ">="));
			if (operand.size() == 2) {
				return first;
			}
			Predicate<BigDecimal> second = comparison(operand, 2, path, List.of("<", "<="));
			return first.and(second);
		}

		private Predicate<BigDecimal> comparison(JsonNode operand, int index, String path, List<String> allowed) {
			JsonNode operator = operand.get(index);
			if (!operator.isTextual() || !allowed.contains(operator.textValue())) {
				throw invalid(path + "[" + index + "]", "expected one of " + allowed + ", not " + operator);
			}
			BigDecimal bound = numberOperand(operand.get(index + 1), path + "[" + (index + 1) + "]");
			return switch (operator.textValue()) {
				case "=" -> (value) -> value.compareTo(bound) == 0;
				case "<" -> (value) -> value.compareTo(bound) < 0;
				case "<=" -> (value) -> value.compareTo(bound) <= 0;
				case ">" -> (value) -> value.compareTo(bound) > 0;
				default -> (value) -> value.compareTo(bound) >= 0;
			};
		}

		private static BigDecimal numberOperand(JsonNode node, String path) {
			if (node.isNumber()) {
				return node.decimalValue();
			}
			if (node.isTextual()) {
				try {
					return new BigDecimal(node.textValue().trim());
				}
				catch (NumberFormatException ex) {
					throw invalid(path, "\"" + node.textValue() + "\" is not a number");
				}
			}
			throw invalid(path, "expected a number, not " + node);
		}

		private static JsonNode object(JsonNode node, String path) {
			if (!node.isObject()) {
				throw invalid(path, "expected a JSON object, not " + node);
			}
			if (node.isEmpty()) {
				throw invalid(path, "an empty object; name at least one field to match");
			}
			return node;
		}

		private static <S> Predicate<S> allOf(List<Predicate<S>> predicates) {
			if (predicates.size() == 1) {
				return predicates.get(0);
			}
			@SuppressWarnings("unchecked")
			Predicate<S>[] all = predicates.toArray(Predicate[]::new);
			return (source) -> {
				for (Predicate<S> predicate : all) {
					if (!predicate.test(source)) {
						return false;
					}
				}
				return true;
			};
		}

		private static IllegalArgumentException invalid(String path, String problem) {
			return new IllegalArgumentException("at " + path + ": " + problem);
		}

	}

	private static BigDecimal number(Object value) {
		return (value instanceof Number number) ? BigDecimal.valueOf(number.longValue())
				: new BigDecimal((String) value);
	}

}
