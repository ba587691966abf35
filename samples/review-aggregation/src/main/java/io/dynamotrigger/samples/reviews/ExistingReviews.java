package io.dynamotrigger.samples.reviews;

import java.util.Random;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reviews that exist before the trigger starts, as in a table the application is deployed on: written while
 * beans are created, before the triggers start. The trigger's backfill counts each of them once, from a scan
 * of the table; their stream records are passed over, or counted already if they come too.
 */
class ExistingReviews {

	private static final Logger log = LoggerFactory.getLogger(ExistingReviews.class);

	/** How many reviews exist before the start, on products the workload does not write to. */
	static final int COUNT = 12;

	private final ReviewTables tables;

	ExistingReviews(ReviewTables tables) {
		this.tables = tables;
	}

	ExistingReviews write() {
		Random random = new Random(11);
		for (int i = 1; i <= COUNT; i++) {
			this.tables.reviews.putItem(new Review("product-" + (5 + i % 2), "existing-%02d".formatted(i),
					1 + random.nextInt(5), "Written before the application started"));
		}
		log.info("Wrote {} reviews before the trigger starts; its backfill counts them", COUNT);
		return this;
	}

}
