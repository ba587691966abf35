package io.dynamotrigger.samples.feed;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;

/**
 * Runs once the trigger is started: places 8 orders, pays 5, ships 3, discounts 1 and cancels (deletes) 2.
 * Waits for the feed, then checks it: one line per change, each order's changes in write order with the
 * attributes that changed, and the table rebuilt from the feed's images equal to the table itself. Prints a
 * report; the exit code says whether everything matched.
 */
class FeedWorkload implements ApplicationRunner, ExitCodeGenerator {

	private static final Logger log = LoggerFactory.getLogger(FeedWorkload.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final DynamoDbTable<Order> orders;

	private final Path directory;

	private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

	/** Per order, each change as the feed must describe it: event type and changed attributes. */
	private final Map<String, List<String>> expected = new TreeMap<>();

	private final OrderTotalsPerWindow totals;

	private final Duration window;

	private int exitCode = 1;

	FeedWorkload(DynamoDbTable<Order> orders, Path directory, OrderTotalsPerWindow totals, Duration window) {
		this.orders = orders;
		this.directory = directory;
		this.totals = totals;
		this.window = window;
	}

	@Override
	public void run(ApplicationArguments args) throws Exception {
		List<Order> placed = new ArrayList<>();
		for (int i = 1; i <= 8; i++) {
			Order order = new Order("order-" + i, "customer-" + (i % 3 + 1), "PLACED", new BigDecimal(10 * i + ".50"));
			write(order, "INSERT [customer, orderId, status, total]");
			placed.add(order);
		}
		for (int i = 0; i < 5; i++) {
			placed.get(i).setStatus("PAID");
			write(placed.get(i), "MODIFY [status]");
		}
		for (int i = 0; i < 3; i++) {
			placed.get(i).setStatus("SHIPPED");
			write(placed.get(i), "MODIFY [status]");
		}
		placed.get(3).setTotal(placed.get(3).getTotal().subtract(new BigDecimal("5.00")));
		write(placed.get(3), "MODIFY [total]");
		for (Order cancelled : List.of(placed.get(6), placed.get(7))) {
			this.orders.deleteItem(cancelled);
			this.expected.get(cancelled.getOrderId()).add("REMOVE [customer, orderId, status, total]");
		}
		int changes = this.expected.values().stream().mapToInt(List::size).sum();
		log.info("Wrote {} changes to Orders; waiting for the feed", changes);

		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		List<JsonNode> lines = readFeed();
		while (lines.size() < changes && System.nanoTime() < deadline) {
			Thread.sleep(200);
			lines = readFeed();
		}
		List<String> problems = check(lines, changes);
		report(lines);
		problems.addAll(checkWindows(lines));
		if (problems.isEmpty()) {
			System.out.println("VERIFIED: " + changes + " changes in the feed, each order's in write order with its"
					+ " changed attributes; the table rebuilt from the feed equals Orders.");
			System.out.println("VERIFIED: orders placed per " + this.window + " window " + this.totals.totalsByWindow()
					+ " equal the recomputation from the feed's INSERTs.");
			this.exitCode = 0;
		}
		else {
			System.out.println("MISMATCH: " + problems);
		}
	}

	/**
	 * Waits for the windows of the placed orders to close (an idle stream closes its last window 2 s after
	 * its end), then compares their final totals with a recomputation from the feed: the INSERT lines (whose
	 * images the table check above matched) grouped by the window of their creation time.
	 */
	private List<String> checkWindows(List<JsonNode> lines) throws InterruptedException {
		Map<Instant, OrderTotalsPerWindow.OrderTotals> expected = new TreeMap<>();
		long seconds = this.window.getSeconds();
		for (JsonNode line : lines) {
			if (line.get("eventType").asText().equals("INSERT")) {
				long created = Instant.parse(line.get("approximateCreationTime").asText()).getEpochSecond();
				expected.merge(Instant.ofEpochSecond(Math.floorDiv(created, seconds) * seconds),
						new OrderTotalsPerWindow.OrderTotals(1, line.get("newImage").get("total").decimalValue()),
						OrderTotalsPerWindow.OrderTotals::plus);
			}
		}
		long deadline = System.nanoTime() + this.window.plus(TIMEOUT).toNanos();
		while (!sameTotals(this.totals.totalsByWindow(), expected) && System.nanoTime() < deadline) {
			Thread.sleep(200);
		}
		Map<Instant, OrderTotalsPerWindow.OrderTotals> published = this.totals.totalsByWindow();
		return sameTotals(published, expected) ? List.of()
				: List.of("orders placed per window " + published + ", recomputed from the feed " + expected);
	}

	private static boolean sameTotals(Map<Instant, OrderTotalsPerWindow.OrderTotals> published,
			Map<Instant, OrderTotalsPerWindow.OrderTotals> expected) {
		if (!published.keySet().equals(expected.keySet())) {
			return false;
		}
		return expected.entrySet()
			.stream()
			.allMatch((entry) -> published.get(entry.getKey()).orders() == entry.getValue().orders()
					&& published.get(entry.getKey()).total().compareTo(entry.getValue().total()) == 0);
	}

	private void write(Order order, String change) {
		this.orders.putItem(order);
		this.expected.computeIfAbsent(order.getOrderId(), (id) -> new ArrayList<>()).add(change);
	}

	private List<JsonNode> readFeed() throws IOException {
		List<JsonNode> lines = new ArrayList<>();
		try (Stream<Path> files = Files.list(this.directory)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".jsonl")).sorted().toList()) {
				for (String line : Files.readAllLines(file)) {
					lines.add(this.json.readTree(line));
				}
			}
		}
		return lines;
	}

	private List<String> check(List<JsonNode> lines, int changes) {
		List<String> problems = new ArrayList<>();
		long distinct = lines.stream().map((line) -> line.get("eventId").asText()).distinct().count();
		if (lines.size() != changes || distinct != changes) {
			problems.add(lines.size() + " lines with " + distinct + " distinct event ids, expected " + changes);
		}
		Map<String, List<String>> found = new TreeMap<>();
		Map<String, String> rebuilt = new TreeMap<>();
		for (JsonNode line : lines) {
			String orderId = line.get("keys").get("orderId").asText();
			List<String> changed = new ArrayList<>();
			line.get("changedAttributes").forEach((name) -> changed.add(name.asText()));
			changed.sort(null);
			found.computeIfAbsent(orderId, (id) -> new ArrayList<>())
				.add(line.get("eventType").asText() + " " + changed.toString());
			if (line.get("newImage").isNull()) {
				rebuilt.remove(orderId);
			}
			else {
				JsonNode image = line.get("newImage");
				rebuilt.put(orderId, row(image.get("customer").asText(), image.get("status").asText(),
						image.get("total").decimalValue()));
			}
		}
		if (!found.equals(this.expected)) {
			problems.add("changes per order " + found + ", expected " + this.expected);
		}
		Map<String, String> table = new TreeMap<>();
		this.orders.scan()
			.items()
			.forEach((order) -> table.put(order.getOrderId(),
					row(order.getCustomer(), order.getStatus(), order.getTotal())));
		if (!rebuilt.equals(table)) {
			problems.add("rebuilt from the feed " + rebuilt + ", table " + table);
		}
		return problems;
	}

	private static String row(String customer, String status, BigDecimal total) {
		return customer + " " + status + " " + total.stripTrailingZeros().toPlainString();
	}

	private void report(List<JsonNode> lines) throws IOException {
		System.out.println();
		System.out.println("Feed files:");
		try (Stream<Path> files = Files.list(this.directory)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".jsonl")).sorted().toList()) {
				System.out.printf("  %s  %d lines%n", this.directory.relativize(file), Files.readAllLines(file).size());
			}
		}
		Map<String, Long> byType = lines.stream()
			.collect(Collectors.groupingBy((line) -> line.get("eventType").asText(), TreeMap::new,
					Collectors.counting()));
		System.out.println("Changes by type: " + byType);
		Map<String, JsonNode> latest = new LinkedHashMap<>();
		lines.forEach((line) -> latest.put(line.get("keys").get("orderId").asText(), line.get("newImage")));
		Map<String, Long> byStatus = latest.values()
			.stream()
			.filter((image) -> !image.isNull())
			.collect(Collectors.groupingBy((image) -> image.get("status").asText(), TreeMap::new,
					Collectors.counting()));
		BigDecimal revenue = latest.values()
			.stream()
			.filter((image) -> !image.isNull() && !image.get("status").asText().equals("PLACED"))
			.map((image) -> image.get("total").decimalValue())
			.reduce(BigDecimal.ZERO, BigDecimal::add);
		System.out.println("Open orders by status: " + byStatus + "; paid revenue " + revenue);
		System.out.println("First line: " + lines.get(0));
		System.out.println();
	}

	@Override
	public int getExitCode() {
		return this.exitCode;
	}

}
