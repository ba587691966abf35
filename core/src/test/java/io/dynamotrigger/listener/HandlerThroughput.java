package io.dynamotrigger.listener;

import java.lang.reflect.Method;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.TriggerContext;
import io.dynamotrigger.ViewType;
import io.dynamotrigger.filter.EventPattern;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/**
 * Prints records/s on one thread for the per-record work of a trigger: a filter pattern alone, and
 * mapping plus invoking an {@code ItemChange<T>} method for a 10-attribute item. Not a test; run it from the
 * IDE, or after {@code mvn -q -pl core test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt} with
 * {@code java -cp core/target/test-classes:core/target/classes:$(cat core/cp.txt)
 * io.dynamotrigger.listener.HandlerThroughput}.
 */
public final class HandlerThroughput {

	private static final int RECORDS = 1024;

	private static final long MEASURE_NANOS = 3_000_000_000L;

	private HandlerThroughput() {
	}

	public static void main(String[] args) throws Throwable {
		List<Record> records = records();
		Predicate<Record> filter = EventPattern.parse("{\"eventName\": [\"MODIFY\"], \"dynamodb\": {\"NewImage\":"
				+ " {\"status\": {\"S\": [{\"anything-but\": \"DELETED\"}]}, \"score\": {\"N\": [{\"numeric\": [\">=\", 0]}]}}}}");
		Sink sink = new Sink();
		Method method = Sink.class.getDeclaredMethod("onChange", ItemChange.class, TriggerContext.class);
		HandlerInvoker invoker = HandlerInvoker.prepare(sink, method, ViewType.NEW_AND_OLD_IMAGES,
				EnumSet.allOf(EventType.class));
		TriggerContext context = new TriggerContext("bench", "Items", "shard-1", "1", 1, null);

		for (int round = 0; round < 2; round++) {
			String phase = (round == 0) ? "warm-up " : "";
			System.out.printf("%sfilter only:          %,12.0f records/s%n", phase, measure(records, (record) -> {
				if (filter.test(record)) {
					sink.matched++;
				}
			}));
			System.out.printf("%smap + invoke:         %,12.0f records/s%n", phase,
					measure(records, (record) -> invoker.invoke(List.of(record), context)));
		}
		System.out.println("(checksum " + (sink.matched + sink.calls) + ")");
	}

	private static double measure(List<Record> records, RecordAction action) throws Throwable {
		long start = System.nanoTime();
		long count = 0;
		while (System.nanoTime() - start < MEASURE_NANOS) {
			for (Record record : records) {
				action.accept(record);
			}
			count += records.size();
		}
		return count * 1e9 / (System.nanoTime() - start);
	}

	private static List<Record> records() {
		return IntStream.range(0, RECORDS).mapToObj((i) -> {
			Map<String, AttributeValue> image = new LinkedHashMap<>();
			image.put("id", AttributeValue.fromS("item-" + i));
			image.put("name", AttributeValue.fromS("name " + i));
			image.put("status", AttributeValue.fromS((i % 10 == 0) ? "DELETED" : "ACTIVE"));
			image.put("score", AttributeValue.fromN(Integer.toString(i % 100)));
			image.put("price", AttributeValue.fromN("19.99"));
			image.put("quantity", AttributeValue.fromN(Integer.toString(i)));
			image.put("active", AttributeValue.fromBool(i % 2 == 0));
			image.put("category", AttributeValue.fromS("books"));
			image.put("owner", AttributeValue.fromS("owner-" + (i % 7)));
			image.put("updatedAt", AttributeValue.fromS("2026-11-25T12:00:00Z"));
			return Record.builder()
				.eventID("e" + i)
				.eventName(OperationType.MODIFY)
				.dynamodb(StreamRecord.builder()
					.keys(Map.of("id", image.get("id")))
					.oldImage(image)
					.newImage(image)
					.sequenceNumber(Integer.toString(i))
					.build())
				.build();
		}).toList();
	}

	@FunctionalInterface
	private interface RecordAction {

		void accept(Record record) throws Throwable;

	}

	static final class Sink {

		long calls;

		long matched;

		void onChange(ItemChange<Item> change, TriggerContext context) {
			if (change.newImage() != null) {
				this.calls++;
			}
		}

	}

	@DynamoDbBean
	public static class Item {

		private String id;

		private String name;

		private String status;

		private Integer score;

		private Double price;

		private Integer quantity;

		private Boolean active;

		private String category;

		private String owner;

		private String updatedAt;

		@DynamoDbPartitionKey
		public String getId() {
			return this.id;
		}

		public void setId(String id) {
			this.id = id;
		}

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public String getStatus() {
			return this.status;
		}

		public void setStatus(String status) {
			this.status = status;
		}

		public Integer getScore() {
			return this.score;
		}

		public void setScore(Integer score) {
			this.score = score;
		}

		public Double getPrice() {
			return this.price;
		}

		public void setPrice(Double price) {
			this.price = price;
		}

		public Integer getQuantity() {
			return this.quantity;
		}

		public void setQuantity(Integer quantity) {
			this.quantity = quantity;
		}

		public Boolean getActive() {
			return this.active;
		}

		public void setActive(Boolean active) {
			this.active = active;
		}

		public String getCategory() {
			return this.category;
		}

		public void setCategory(String category) {
			this.category = category;
		}

		public String getOwner() {
			return this.owner;
		}

		public void setOwner(String owner) {
			this.owner = owner;
		}

		public String getUpdatedAt() {
			return this.updatedAt;
		}

		public void setUpdatedAt(String updatedAt) {
			this.updatedAt = updatedAt;
		}

	}

}
