package io.dynamotrigger.lease;

import java.time.Duration;
import java.time.Instant;

/**
 * KCL's leader lock of a table consumer as this instance sees it: the item {@code Leader} of the
 * {@code <lease table>-CoordinatorState} table. Only the leader assigns leases whose holder stopped renewing
 * them; while a dead worker holds the lock, the others wait until its lock lease runs out.
 *
 * @param owner the worker holding the lock
 * @param leaseDuration how long the lock stays valid without a heartbeat
 * @param notRenewedSince when this instance last saw the lock's heartbeat (its record version) change (or
 * first saw the lock), by this instance's clock
 * @param expired whether the lock looks free: released, or without a heartbeat for longer than its lease
 * duration
 */
public record LeaderLock(String owner, Duration leaseDuration, Instant notRenewedSince, boolean expired) {
}
