package io.dynamotrigger.boot;

import java.time.Duration;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.test.LocalDynamoDb;
import io.dynamotrigger.test.LocalDynamoDbExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application's own {@link TableSchema} bean maps the images of its item class, for a class the Enhanced
 * Client could not introspect (no annotations) or with attribute names of the application's choice.
 */
@ExtendWith(LocalDynamoDbExtension.class)
class TableSchemaBeanTests {

	@Test
	void triggerItemsAreMappedWithTheApplicationsSchemaOfTheirClass(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);

		TestContexts.runner(table).withUserConfiguration(StarsSchema.class, StarsTrigger.class).run((context) -> {
			table.put("p", "r1", 4, "good");

			Received<String> received = context.getBean(StarsTrigger.class).received;

			assertThat(received.awaitCount(1, Duration.ofSeconds(60))).containsExactly("r1 has 4 stars");
		});
	}

	@Test
	void twoSchemasOfOneClassFailTheStartNamingTheClass(LocalDynamoDb local) {
		ReviewsTable table = new ReviewsTable(local).create(StreamViewType.NEW_AND_OLD_IMAGES);

		TestContexts.runner(table)
			.withUserConfiguration(StarsSchema.class, SecondStarsSchema.class, StarsTrigger.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("two TableSchema beans for " + Stars.class.getName()));
	}

	/** A class without Enhanced Client annotations: only a schema of the application maps it. */
	static final class Stars {

		String reviewId;

		int count;

	}

	@Configuration(proxyBeanMethods = false)
	static class StarsSchema {

		@Bean
		TableSchema<Stars> starsSchema() {
			return schema();
		}

		static TableSchema<Stars> schema() {
			return StaticTableSchema.builder(Stars.class)
				.newItemSupplier(Stars::new)
				.addAttribute(String.class, (attribute) -> attribute.name("reviewId")
					.getter((stars) -> stars.reviewId)
					.setter((stars, value) -> stars.reviewId = value))
				.addAttribute(Integer.class, (attribute) -> attribute.name("rating")
					.getter((stars) -> stars.count)
					.setter((stars, value) -> stars.count = value))
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SecondStarsSchema {

		@Bean
		TableSchema<Stars> otherStarsSchema() {
			return StarsSchema.schema();
		}

	}

	static class StarsTrigger {

		final Received<String> received = new Received<>();

		@DynamoTrigger(table = "${test.table}")
		void onReview(ItemChange<Stars> change) {
			this.received.add(change.newImage().reviewId + " has " + change.newImage().count + " stars");
		}

	}

}
