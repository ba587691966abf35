package io.dynamotrigger.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * CPU time and allocated bytes of this JVM, from its management beans. Allocation is summed over the
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

	long cpuNanos() {
		return this.os.getProcessCpuTime();
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

}
