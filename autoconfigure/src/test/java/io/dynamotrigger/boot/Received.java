package io.dynamotrigger.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.fail;

/**
 * What a test trigger received, in the order it was called.
 *
 * @param <T> the trigger's parameter type
 */
final class Received<T> {

	private final List<T> items = new CopyOnWriteArrayList<>();

	void add(T item) {
		this.items.add(item);
	}

	List<T> all() {
		return new ArrayList<>(this.items);
	}

	/**
	 * Waits until an item matches, then returns all received so far.
	 */
	List<T> awaitUntil(Predicate<T> last, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (this.items.stream().anyMatch(last)) {
				return all();
			}
			pause();
		}
		return fail("Nothing matching within " + timeout + "; received " + this.items.size() + ": " + this.items);
	}

	/**
	 * Waits until at least {@code count} items arrived, then returns all received so far.
	 */
	List<T> awaitCount(int count, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (this.items.size() >= count) {
				return all();
			}
			pause();
		}
		return fail("Expected " + count + " within " + timeout + "; received " + this.items.size());
	}

	private static void pause() {
		try {
			Thread.sleep(20);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
