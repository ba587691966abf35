package io.dynamotrigger.boot;

import io.dynamotrigger.test.LocalDynamoDbTest;
import io.dynamotrigger.test.LocalDynamoDbTest.Topology;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The replaced-stream cases of {@link ReplacedStreamTests} in the shared KCL application
 * ({@code kcl.application-mode=shared}): an older stream with records not read yet is read to its end, in
 * turn, before the table's current stream, also a stream the table had in between.
 */
@LocalDynamoDbTest(topology = @Topology(shards = 2, rollOverAfterRecords = 8))
@ExtendWith(OutputCaptureExtension.class)
class SharedModeReplacedStreamTests extends ReplacedStreamTests {

	/** Its own lease table, apart from the other test classes' shared applications on the endpoint. */
	private final String application = "replaced" + System.nanoTime() % 1_000_000;

	@Override
	ApplicationContextRunner runner(ReviewsTable table) {
		return TestContexts.runner(table)
			.withPropertyValues("dynamo-trigger.kcl.application-mode=shared", "spring.application.name=" + this.application,
					"dynamo-trigger.dead-letter.table-name=" + this.application + "-dead-letters");
	}

	@Override
	String olderStreamReadFirst(String table) {
		return "Table " + table + " has older streams \\[\\S+\\] with records not read yet: reading them to their end"
				+ " first, in turn, then stream \\S+";
	}

	@Override
	String streamInBetweenReadNext(String table) {
		return "Table " + table + " has older streams \\[\\S+, \\S+\\] with records not read yet: reading them to their"
				+ " end first, in turn, then stream \\S+";
	}

}
