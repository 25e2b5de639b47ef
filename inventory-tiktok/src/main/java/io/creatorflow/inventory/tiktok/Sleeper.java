package io.creatorflow.inventory.tiktok;

import java.time.Duration;

/**
 * Waits on the calling thread between retries. The default, {@link #SYSTEM}, is {@link Thread#sleep};
 * tests supply one that records the requested waits (and may advance a test clock) without waiting.
 *
 * <p>Implementations must be thread-safe and honour interruption by throwing {@link
 * InterruptedException}.
 */
@FunctionalInterface
public interface Sleeper {
  /** Sleeps with {@link Thread#sleep(long, int)}. */
  Sleeper SYSTEM =
      duration -> {
        if (!duration.isNegative() && !duration.isZero()) {
          Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        }
      };

  /** Waits for {@code duration} (zero or positive). */
  void sleep(Duration duration) throws InterruptedException;
}
