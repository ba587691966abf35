package io.dynamotrigger.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Percentiles of a sample of latencies in milliseconds.
 */
final class Percentiles {

	private final double[] sorted;

	Percentiles(List<Double> values) {
		this.sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
	}

	double at(double percentile) {
		if (this.sorted.length == 0) {
			return Double.NaN;
		}
		int index = (int) Math.ceil(percentile / 100.0 * this.sorted.length) - 1;
		return this.sorted[Math.max(0, Math.min(index, this.sorted.length - 1))];
	}

	double[] values() {
		return Arrays.copyOf(this.sorted, this.sorted.length);
	}

	static double median(List<Double> values) {
		return new Percentiles(values).at(50);
	}

}
