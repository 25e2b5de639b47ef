package io.creatorflow.inventory.spi;

import java.time.Duration;
import java.time.Instant;

/**
 * Named, time-limited leases, so that only one of several service instances sharing a store runs a
 * periodic job at a time. Not a lock for stock: stock correctness never depends on a lease.
 *
 * <p>Thread-safe; on a shared store the guarantee holds across instances.
 */
public interface LeaseStore {

  /**
   * Takes the lease for {@code owner} until {@code now + ttl} if it is free, expired, or held by
   * {@code owner} already (then it is renewed).
   *
   * @return whether {@code owner} holds the lease now
   */
  boolean tryAcquire(String lease, String owner, Instant now, Duration ttl);

  /** Gives the lease up if {@code owner} holds it; otherwise does nothing. */
  void release(String lease, String owner);
}
