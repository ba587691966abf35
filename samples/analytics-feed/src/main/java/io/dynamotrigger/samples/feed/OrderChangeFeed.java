package io.dynamotrigger.samples.feed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.ViewType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The trigger: appends every change of the {@code Orders} table as one JSON line to the file of the hour
 * DynamoDB wrote it in ({@code orders-2025-07-01T09.jsonl}, UTC), with both images as plain JSON and the
 * names of the changed attributes. A batch trigger: one read of a shard is one append per file.
 *
 * <p>Delivery is at least once, so a line may repeat after a restart; each carries the record's
 * {@code eventId}, which a data lake deduplicates on.
 */
class OrderChangeFeed {

	private static final Logger log = LoggerFactory.getLogger(OrderChangeFeed.class);

	private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);

	private final Path directory;

	private final ObjectMapper json = new ObjectMapper();

	OrderChangeFeed(Path directory) {
		this.directory = directory;
	}

	@DynamoTrigger(table = "Orders", viewType = ViewType.NEW_AND_OLD_IMAGES)
	void append(List<ItemChange<Map<String, AttributeValue>>> changes) throws IOException {
		Map<Path, StringBuilder> byFile = new LinkedHashMap<>();
		for (ItemChange<Map<String, AttributeValue>> change : changes) {
			Instant written = change.approximateCreationTime();
			Path file = this.directory.resolve("orders-" + HOUR.format(written) + ".jsonl");
			byFile.computeIfAbsent(file, (key) -> new StringBuilder()).append(line(change)).append('\n');
		}
		Files.createDirectories(this.directory);
		for (Map.Entry<Path, StringBuilder> entry : byFile.entrySet()) {
			try (Writer writer = Files.newBufferedWriter(entry.getKey(), StandardCharsets.UTF_8,
					StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
				writer.write(entry.getValue().toString());
			}
		}
		log.info("Appended {} change(s) to {}", changes.size(),
				byFile.keySet().stream().map(Path::getFileName).toList());
	}

	private String line(ItemChange<Map<String, AttributeValue>> change) {
		Map<String, Object> line = new LinkedHashMap<>();
		line.put("eventId", change.eventId());
		line.put("eventType", change.eventType().name());
		line.put("sequenceNumber", change.sequenceNumber());
		line.put("approximateCreationTime", change.approximateCreationTime().toString());
		line.put("keys", plain(change.keys()));
		line.put("oldImage", (change.oldImage() != null) ? plain(change.oldImage()) : null);
		line.put("newImage", (change.newImage() != null) ? plain(change.newImage()) : null);
		line.put("changedAttributes", change.changedAttributes());
		try {
			return this.json.writeValueAsString(line);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * An image as plain JSON values: strings, numbers, booleans, null, objects and arrays, as analytics tools
	 * read them (DynamoDB's typed JSON, {@code {"N": "3"}}, is for DynamoDB).
	 */
	static Map<String, Object> plain(Map<String, AttributeValue> image) {
		Map<String, Object> plain = new LinkedHashMap<>();
		image.forEach((name, value) -> plain.put(name, plain(value)));
		return plain;
	}

	private static Object plain(AttributeValue value) {
		return switch (value.type()) {
			case S -> value.s();
			case N -> new BigDecimal(value.n());
			case BOOL -> value.bool();
			case NUL -> null;
			case M -> plain(value.m());
			case L -> value.l().stream().map(OrderChangeFeed::plain).toList();
			case SS -> value.ss();
			case NS -> value.ns().stream().map(BigDecimal::new).toList();
			case B -> value.b().asByteArray();
			case BS -> value.bs().stream().map((bytes) -> bytes.asByteArray()).toList();
			case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("Unknown attribute type: " + value);
		};
	}

}
