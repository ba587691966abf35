package io.dynamotrigger.samples.reviews;

import io.dynamotrigger.lambda.DynamoTriggerHandler;
import org.springframework.boot.SpringApplication;

/**
 * The Lambda function's handler ({@code io.dynamotrigger.samples.reviews.ReviewsFunction::handleRequest}):
 * starts {@link ReviewsLambdaApplication} once per cold start and hands each DynamoDB Streams event of the
 * {@code Reviews} table to its trigger.
 */
public class ReviewsFunction extends DynamoTriggerHandler {

	/** Lambda creates the handler with this constructor. */
	public ReviewsFunction() {
		super(ReviewsLambdaApplication.class);
	}

	ReviewsFunction(SpringApplication application) {
		super(application);
	}

}
