package io.dynamotrigger.kcl.threads;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ShardThreadsTests {

	private final ShardThreads threads = new ShardThreads("test", 8, 2, 8, Duration.ofMillis(50),
			Duration.ofMillis(300));

	private final CountDownLatch release = new CountDownLatch(1);

	@AfterEach
	void close() {
		this.release.countDown();
		this.threads.close();
	}

	@Test
	void aTaskStillRunsWhileEveryBaseThreadIsHeldByAHandlerThatBlocks() throws Exception {
		ExecutorService tasks = this.threads.tasks();
		tasks.execute(this::blocked);
		tasks.execute(this::blocked);

		Future<String> other = tasks.submit(() -> Thread.currentThread().getName());

		assertThat(other.get(2, TimeUnit.SECONDS)).startsWith("test-task-");
		assertThat(this.threads.size()).as("the timer, two held threads and one added").isEqualTo(4);
	}

	@Test
	void eachTaskWaitingForAThreadGetsOneUpToTheMaximum() throws Exception {
		ExecutorService tasks = this.threads.tasks();
		for (int i = 0; i < 10; i++) {
			tasks.execute(this::blocked);
		}
		Future<?> eleventh = tasks.submit(() -> {
		});

		awaitSize(1 + 8);
		Thread.sleep(300);
		assertThat(this.threads.size()).isEqualTo(1 + 8);
		assertThat(eleventh).isNotDone();
		this.release.countDown();
		eleventh.get(2, TimeUnit.SECONDS);
	}

	@Test
	void readsWaitingForAThreadGetOneUpToTheMaximumReadThreads() throws Exception {
		ShardThreads threeReadThreads = new ShardThreads("reads", 3, 2, 8, Duration.ofMillis(50), Duration.ofMillis(300));
		try {
			ExecutorService reads = threeReadThreads.reads();
			for (int i = 0; i < 5; i++) {
				reads.execute(this::blocked);
			}
			Future<?> sixth = reads.submit(() -> {
			});

			Thread.sleep(500);
			assertThat(threeReadThreads.size()).as("the timer and three read threads").isEqualTo(1 + 3);
			assertThat(sixth).isNotDone();
			this.release.countDown();
			sixth.get(2, TimeUnit.SECONDS);
		}
		finally {
			threeReadThreads.close();
		}
	}

	@Test
	void threadsAddedForBlockedTasksAreTakenBackOnceUnused() throws Exception {
		ExecutorService tasks = this.threads.tasks();
		for (int i = 0; i < 5; i++) {
			tasks.execute(this::blocked);
		}
		awaitSize(1 + 5);

		this.release.countDown();

		awaitSize(1 + 2);
		assertThat(tasks.submit(() -> "still runs").get(2, TimeUnit.SECONDS)).isEqualTo("still runs");
	}

	@Test
	void shortTasksFromManyShardsRunOnTheBaseThreads() throws Exception {
		ExecutorService tasks = this.threads.tasks();
		AtomicInteger done = new AtomicInteger();
		// 50 shards, each a task of about a millisecond every 100 ms, for 2 s.
		for (int round = 0; round < 20; round++) {
			for (int shard = 0; shard < 50; shard++) {
				tasks.execute(() -> {
					spin(TimeUnit.MICROSECONDS.toNanos(200));
					done.incrementAndGet();
				});
			}
			Thread.sleep(100);
		}

		awaitCount(done, 1000);
		assertThat(this.threads.size()).isLessThanOrEqualTo(1 + 4);
	}

	@Test
	void closingInterruptsTheTasksStillRunning() throws Exception {
		CountDownLatch interrupted = new CountDownLatch(1);
		this.threads.tasks().execute(() -> {
			try {
				this.release.await();
			}
			catch (InterruptedException ex) {
				interrupted.countDown();
			}
		});
		Thread.sleep(100);

		this.threads.close();

		assertThat(interrupted.await(2, TimeUnit.SECONDS)).isTrue();
		assertThat(this.threads.tasks().isShutdown()).isTrue();
		assertThat(this.threads.timer().isShutdown()).isTrue();
	}

	private void blocked() {
		try {
			this.release.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void awaitSize(int size) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (this.threads.size() != size && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(this.threads.size()).isEqualTo(size);
	}

	private static void awaitCount(AtomicInteger count, int expected) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (count.get() < expected && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(count.get()).isEqualTo(expected);
	}

	private static void spin(long nanos) {
		long end = System.nanoTime() + nanos;
		while (System.nanoTime() < end) {
			Thread.onSpinWait();
		}
	}

}
