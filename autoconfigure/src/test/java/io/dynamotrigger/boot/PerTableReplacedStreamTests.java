package io.dynamotrigger.boot;

import io.dynamotrigger.test.LocalDynamoDbTest;
import io.dynamotrigger.test.LocalDynamoDbTest.Topology;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The replaced-stream cases of {@link ReplacedStreamTests} in per-table mode ({@code kcl.application-mode=per-table}):
 * each table's lease table is bound to one stream; when the stream changes, the old stream is read to its end
 * first, then the new one, also a stream the table had in between.
 */
@LocalDynamoDbTest(topology = @Topology(shards = 2, rollOverAfterRecords = 8))
@ExtendWith(OutputCaptureExtension.class)
class PerTableReplacedStreamTests extends ReplacedStreamTests {

	@Override
	ApplicationContextRunner runner(ReviewsTable table) {
		return TestContexts.runner(table).withPropertyValues(TestContexts.PER_TABLE);
	}

	@Override
	String olderStreamReadFirst(String table) {
		return "The stream of lease table e2e-" + table
				+ " changed from \\S+ to \\S+: reading the old stream to its end first, then the new one";
	}

	@Override
	String streamInBetweenReadNext(String table) {
		return "The table of lease table e2e-" + table + " had stream \\S+ between \\S+ and \\S+: reading it to its"
				+ " end next";
	}

}
