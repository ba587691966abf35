package io.dynamotrigger.lambda;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.transformers.v2.DynamodbEventTransformer;
import io.dynamotrigger.config.StreamArn;
import io.dynamotrigger.lambda.StreamEventRouter.RoutingResult;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * An AWS Lambda handler for DynamoDB Streams events that calls the application's {@code @DynamoTrigger}
 * methods: the same filters, mapping and methods as in a long-running application, fed by Lambda's event
 * source mapping instead of a KCL consumer.
 *
 * <p>The application's Spring context starts once, when Lambda creates the handler (the function's
 * cold start), with {@code dynamo-trigger.lambda.enabled=true}: no stream consumer, no lease table. Name the
 * application's {@code @SpringBootApplication} class either by subclassing:
 * <pre>
 * public class ReviewsFunction extends DynamoTriggerHandler {
 *     public ReviewsFunction() {
 *         super(ReviewsApplication.class);
 *     }
 * }
 * </pre>
 * or with this class as the function's handler and the environment variable {@value #MAIN_CLASS} set to the
 * application class's name.
 *
 * <p><b>Failures</b> are reported, not thrown: a record a trigger fails on ends the invocation's routing,
 * and the response names its sequence number as the only batch item failure. Enable
 * {@code ReportBatchItemFailures} on the event source mapping; Lambda then checkpoints before that record
 * and invokes the function again from it, as often as {@code MaximumRetryAttempts} allows. Each trigger is
 * called once per record per invocation: retries and what happens to records given up on are the event
 * source mapping's settings, not {@code dynamo-trigger.retry.*} or dead letters. A deployment mistake (a
 * table without trigger, another view type) throws and fails the whole invocation.
 */
public class DynamoTriggerHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse>, AutoCloseable {

	/** The environment variable that names the application class for the no-argument constructor. */
	public static final String MAIN_CLASS = "MAIN_CLASS";

	private final ConfigurableApplicationContext context;

	private final StreamEventRouter router;

	/**
	 * Starts the application named by the environment variable {@value #MAIN_CLASS}.
	 * @throws IllegalStateException if the variable is not set or names no class
	 */
	public DynamoTriggerHandler() {
		this(applicationClass(System.getenv(MAIN_CLASS)));
	}

	/**
	 * Starts an application from its sources.
	 * @param sources the application's {@code @SpringBootApplication} class (and any further sources)
	 */
	public DynamoTriggerHandler(Class<?>... sources) {
		this(new SpringApplication(sources));
	}

	/**
	 * Starts a prepared application, e.g. one with extra listeners or default properties. It runs without a
	 * web server and with {@code dynamo-trigger.lambda.enabled=true}.
	 * @param application the application
	 */
	public DynamoTriggerHandler(SpringApplication application) {
		application.setWebApplicationType(WebApplicationType.NONE);
		application.addInitializers((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("dynamoTriggerLambda", Map.of("dynamo-trigger.lambda.enabled", "true"))));
		this.context = application.run();
		this.router = this.context.getBean(StreamEventRouter.class);
	}

	/**
	 * Delivers the event's records to the triggers of their table.
	 * @param event the records of one read of one shard, as the event source mapping sends them
	 * @param lambdaContext the invocation's context (may be {@code null} outside Lambda)
	 * @return no batch item failure when every record is done; otherwise, per stream in the event, the
	 * sequence number of the first record that is not done
	 * @throws IllegalArgumentException if a record's {@code eventSourceARN} is not a DynamoDB stream's
	 */
	@Override
	public StreamsEventResponse handleRequest(DynamodbEvent event, Context lambdaContext) {
		List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
		byStream(event).forEach((streamArn, records) -> {
			RoutingResult result = this.router.route(StreamArn.parse(streamArn).tableName(), records);
			if (!result.isDone()) {
				failures.add(new StreamsEventResponse.BatchItemFailure(result.failedSequenceNumber()));
			}
		});
		return new StreamsEventResponse(failures);
	}

	/**
	 * The event's records as the SDK's stream records, grouped by stream in order. An event source mapping
	 * reads one stream, so there is one group; grouping keeps a hand-made event with several honest.
	 */
	private static Map<String, List<Record>> byStream(DynamodbEvent event) {
		Map<String, List<Record>> byStream = new LinkedHashMap<>();
		if (event == null || event.getRecords() == null || event.getRecords().isEmpty()) {
			return byStream;
		}
		List<Record> records = DynamodbEventTransformer.toRecordsV2(event);
		for (int i = 0; i < records.size(); i++) {
			String arn = event.getRecords().get(i).getEventSourceARN();
			byStream.computeIfAbsent(arn, (key) -> new ArrayList<>()).add(records.get(i));
		}
		return byStream;
	}

	/**
	 * Returns the application's context, e.g. to look up beans in a test.
	 * @return the running context
	 */
	public ConfigurableApplicationContext getApplicationContext() {
		return this.context;
	}

	/**
	 * Closes the application's context. Lambda never calls this; tests and local invocations do.
	 */
	@Override
	public void close() {
		this.context.close();
	}

	private static Class<?> applicationClass(String name) {
		if (name == null || name.isBlank()) {
			throw new IllegalStateException("Set the environment variable " + MAIN_CLASS
					+ " to your @SpringBootApplication class, or subclass DynamoTriggerHandler and pass the class to"
					+ " its constructor.");
		}
		try {
			return ClassUtils.forName(name.trim(), DynamoTriggerHandler.class.getClassLoader());
		}
		catch (ClassNotFoundException | LinkageError ex) {
			throw new IllegalStateException(MAIN_CLASS + " names " + name + ", which is not on the function's"
					+ " classpath", ex);
		}
	}

}
