package io.dynamotrigger.samples.sca;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.awspring.cloud.dynamodb.DynamoDbTemplate;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;

/**
 * Runs once the trigger is started: places three orders with Spring Cloud AWS's {@link DynamoDbTemplate}
 * and waits for their shipments. The exit code says whether every order got one.
 */
class ShopWorkload implements ApplicationRunner, ExitCodeGenerator {

	static final Set<String> ORDERS = Set.of("o-1", "o-2", "o-3");

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final DynamoDbTemplate dynamoDb;

	private int exitCode = 1;

	ShopWorkload(DynamoDbTemplate dynamoDb) {
		this.dynamoDb = dynamoDb;
	}

	@Override
	public void run(ApplicationArguments args) throws InterruptedException {
		List.of(new Order("o-1", "alice"), new Order("o-2", "bob"), new Order("o-3", "carol"))
			.forEach(this.dynamoDb::save);
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		Set<String> shipped = shipped();
		while (!shipped.equals(ORDERS) && System.nanoTime() < deadline) {
			Thread.sleep(200);
			shipped = shipped();
		}
		if (shipped.equals(ORDERS)) {
			System.out.println("VERIFIED: a shipment for each of the " + ORDERS.size() + " orders");
			this.exitCode = 0;
		}
		else {
			System.out.println("MISMATCH: shipments for " + shipped + ", orders " + new TreeSet<>(ORDERS));
		}
	}

	private Set<String> shipped() {
		return this.dynamoDb.scanAll(Shipment.class)
			.items()
			.stream()
			.map(Shipment::getOrderId)
			.collect(Collectors.toCollection(TreeSet::new));
	}

	@Override
	public int getExitCode() {
		return this.exitCode;
	}

}
