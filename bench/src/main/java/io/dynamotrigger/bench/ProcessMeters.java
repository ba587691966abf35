package io.dynamotrigger.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time and allocated bytes of this JVM. Allocation is summed over the
 * threads alive when it is read, so bytes of threads that ended in between are missed: both consumers keep
 * their threads while they drain, once {@link BenchmarkMain} keeps async tasks on pooled threads (on 2 CPUs
 * the JDK would start a thread per task, one per GetRecords call of the baseline's adapter).
 */
final class ProcessMeters {

	private final com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

	/**
	 * Returns the CPU time of this JVM's threads so far. On Linux it comes from each thread's scheduler
	 * statistics ({@code /proc/self/task/<id>/schedstat}, to the nanosecond, every thread of the process, the
	 * garbage collector's included), leaving out the JIT compiler's threads: compiling is a warm-up cost that
	 * falls on whichever consumer first runs the code both use (SDK, KCL, Netty), in a drain of 3,000 records
	 * up to twice the rest. Elsewhere it comes from the OS bean, whose process CPU time moves in clock ticks
	 * (10 ms on Linux: 3 µs per record over such a drain) and includes the compiler.
	 * @return CPU nanoseconds by thread
	 */
	Map<String, Long> cpuNanos() {
		Map<String, Long> byThread = new HashMap<>();
		try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
			for (Path task : tasks) {
				try {
					if (Files.readString(task.resolve("comm")).contains("CompilerThre")) {
						continue;
					}
					String schedstat = Files.readString(task.resolve("schedstat"));
					byThread.put(task.getFileName().toString(),
							Long.parseLong(schedstat.substring(0, schedstat.indexOf(' '))));
				}
				catch (IOException ex) {
					// The thread ended meanwhile.
				}
			}
			return byThread;
		}
		catch (IOException | RuntimeException ex) {
			return Map.of("process", this.os.getProcessCpuTime());
		}
	}

	/**
	 * Returns the CPU time spent between two readings of {@link #cpuNanos()}; a thread that ended in between
	 * loses only its time after the first.
	 * @param before the earlier reading
	 * @param after the later reading
	 * @return CPU nanoseconds
	 */
	static long cpuNanosBetween(Map<String, Long> before, Map<String, Long> after) {
		return cpuNanosByThreadBetween(before, after).values().stream().mapToLong(Long::longValue).sum();
	}

	/**
	 * Returns the CPU time each thread spent between two readings of {@link #cpuNanos()}.
	 * @param before the earlier reading
	 * @param after the later reading
	 * @return CPU nanoseconds by thread
	 */
	static Map<String, Long> cpuNanosByThreadBetween(Map<String, Long> before, Map<String, Long> after) {
		Map<String, Long> byThread = new HashMap<>();
		for (Map.Entry<String, Long> thread : after.entrySet()) {
			byThread.put(thread.getKey(), thread.getValue() - before.getOrDefault(thread.getKey(), 0L));
		}
		return byThread;
	}

	/**
	 * Returns the names of this JVM's threads as the OS knows them (at most 15 characters), by the keys of
	 * {@link #cpuNanos()}.
	 * @return thread names by thread
	 */
	Map<String, String> threadNames() {
		Map<String, String> names = new HashMap<>();
		try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
			for (Path task : tasks) {
				try {
					names.put(task.getFileName().toString(), Files.readString(task.resolve("comm")).trim());
				}
				catch (IOException ex) {
					// The thread ended meanwhile.
				}
			}
		}
		catch (IOException ex) {
			// No per-thread names here.
		}
		return names;
	}

	/**
	 * Returns the CPU time so far of the live Java threads whose names start with a prefix, by thread id, with
	 * their full names: the OS knows only a name's first 15 characters, which for dynamo-trigger's threads is
	 * the prefix alone.
	 * @param prefix the start of the names
	 * @return the threads by id
	 */
	Map<Long, JavaThreadCpu> javaThreadCpu(String prefix) {
		Map<Long, JavaThreadCpu> byId = new HashMap<>();
		for (ThreadInfo thread : this.threads.getThreadInfo(this.threads.getAllThreadIds())) {
			if (thread != null && thread.getThreadName().startsWith(prefix)) {
				long nanos = this.threads.getThreadCpuTime(thread.getThreadId());
				if (nanos >= 0) {
					byId.put(thread.getThreadId(), new JavaThreadCpu(thread.getThreadName(), nanos));
				}
			}
		}
		return byId;
	}

	/**
	 * Returns the garbage collections so far and the time they took, over all collectors (G1: the pauses, and
	 * the concurrent cycles' time).
	 * @return collections and milliseconds
	 */
	GcTotals collections() {
		long count = 0;
		long millis = 0;
		for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
			count += Math.max(collector.getCollectionCount(), 0);
			millis += Math.max(collector.getCollectionTime(), 0);
		}
		return new GcTotals(count, millis);
	}

	long allocatedBytes() {
		long total = 0;
		for (long bytes : this.threads.getThreadAllocatedBytes(this.threads.getAllThreadIds())) {
			total += Math.max(bytes, 0);
		}
		return total;
	}

	/**
	 * Collects garbage twice and returns the heap in use.
	 * @return bytes of heap in use
	 */
	long heapAfterGc() {
		System.gc();
		System.gc();
		return this.memory.getHeapMemoryUsage().getUsed();
	}

	/**
	 * Garbage collections so far.
	 *
	 * @param count how many
	 * @param millis the time they took
	 */
	record GcTotals(long count, long millis) {

		GcTotals since(GcTotals earlier) {
			return new GcTotals(this.count - earlier.count, this.millis - earlier.millis);
		}

	}

	/**
	 * A Java thread's CPU time so far.
	 *
	 * @param name the thread's name
	 * @param nanos its CPU nanoseconds
	 */
	record JavaThreadCpu(String name, long nanos) {
	}

}
