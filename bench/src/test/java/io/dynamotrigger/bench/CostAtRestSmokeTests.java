package io.dynamotrigger.bench;

import java.time.Duration;
import java.util.List;

import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tiny run of the cost-at-rest benchmark (one table, a 2 s window), to keep it compiling and working; its
 * figures mean nothing.
 */
@LocalDynamoDbTest
class CostAtRestSmokeTests {

	@Test
	void oneIdleTablePrintsItsRowWithTheStreamReadsAndTheTablesKclCreated(LocalDynamoDb local) throws Exception {
		CostAtRest bench = new CostAtRest(local, Duration.ofSeconds(2), Duration.ZERO, Duration.ofSeconds(120));

		RestMeasurement run = bench.measure(1, "per-table");
		String table = new CostAtRestReport(List.of(run)).table();
		System.out.println(table);

		assertThat(table).contains("| mode | tables | threads |").contains("| per-table | 1 |");
		assertThat(run.startToFirstSeconds()).hasSize(1);
		assertThat(run.requests().of(RequestCounter.Purpose.GET_RECORDS)).isPositive();
		assertThat(run.createdTables()).contains("cost1-idle1-1", "cost1-idle1-1-CoordinatorState",
				"cost1-idle1-1-WorkerMetricStats");
	}

	@Test
	void twoIdleTablesInTheSharedKclApplicationPrintTheirRowWithOneLeaseTable(LocalDynamoDb local) throws Exception {
		CostAtRest bench = new CostAtRest(local, Duration.ofSeconds(2), Duration.ZERO, Duration.ofSeconds(120));

		RestMeasurement run = bench.measure(2, "shared");
		String table = new CostAtRestReport(List.of(run)).table();
		System.out.println(table);

		assertThat(table).contains("| shared | 2 |");
		assertThat(run.requests().of(RequestCounter.Purpose.GET_RECORDS)).isPositive();
		assertThat(run.createdTables()).contains("costs2", "costs2-CoordinatorState", "costs2-WorkerMetricStats")
			.noneMatch((name) -> name.startsWith("costs2-idle"));
	}

}
