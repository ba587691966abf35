package io.dynamotrigger.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that runs against the local DynamoDB and DynamoDB Streams endpoint
 * ({@link LocalDynamoDb#shared()}). See {@link LocalDynamoDbExtension} for the system properties it
 * sets and the parameters it resolves.
 * <pre>
 * &#64;LocalDynamoDbTest
 * &#64;SpringBootTest
 * class ReviewTriggerTests {
 *
 *     &#64;Test
 *     void aggregatesNewReviews(LocalDynamoDb dynamoDb) { ... }
 * }
 * </pre>
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LocalDynamoDbExtension.class)
public @interface LocalDynamoDbTest {

}
