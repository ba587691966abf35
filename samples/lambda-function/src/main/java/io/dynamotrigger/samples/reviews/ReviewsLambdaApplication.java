package io.dynamotrigger.samples.reviews;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The review-aggregation trigger and its tables, without the sample's workload: what the Lambda function
 * runs. The deployment creates the tables (template.yaml), so nothing here creates them.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ReviewsLambdaApplication {

	@Bean
	ReviewTables reviewTables(DynamoDbClient dynamoDb) {
		return new ReviewTables(dynamoDb);
	}

	@Bean
	ReviewSummaryTrigger reviewSummaryTrigger(ReviewTables tables) {
		return new ReviewSummaryTrigger(tables);
	}

}
