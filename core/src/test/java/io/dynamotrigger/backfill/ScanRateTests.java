package io.dynamotrigger.backfill;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScanRateTests {

	@Test
	void itemsBeyondASecondsWorthWaitUntilTheRateAllowsThem() throws InterruptedException {
		ScanRate rate = new ScanRate(20);
		long start = System.nanoTime();

		rate.take(20);
		long afterFirstSecondsWorth = System.nanoTime() - start;
		rate.take(10);
		long afterHalfASecondMore = System.nanoTime() - start;

		assertThat(afterFirstSecondsWorth).as("a full bucket's worth: no wait").isLessThan(100_000_000L);
		assertThat(afterHalfASecondMore).as("10 more items at 20/s").isBetween(400_000_000L, 1_500_000_000L);
	}

	@Test
	void segmentsShareTheRate() throws InterruptedException {
		ScanRate rate = new ScanRate(100);
		rate.take(100);
		long start = System.nanoTime();
		Thread other = new Thread(() -> {
			try {
				rate.take(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		other.start();
		rate.take(50);
		other.join();

		assertThat(System.nanoTime() - start).as("100 items in all at 100/s, from two threads")
			.isBetween(700_000_000L, 2_000_000_000L);
	}

	@Test
	void zeroIsNoLimit() throws InterruptedException {
		ScanRate rate = new ScanRate(0);
		long start = System.nanoTime();

		rate.take(1_000_000);

		assertThat(System.nanoTime() - start).isLessThan(100_000_000L);
	}

}
