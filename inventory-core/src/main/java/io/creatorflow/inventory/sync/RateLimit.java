package io.creatorflow.inventory.sync;

/**
 * A token bucket: {@code permitsPerSecond} calls per second on average, up to {@code burst} at once
 * after a quiet period. Sync waits for a permit by scheduling the call later on the host's executor,
 * never by blocking a thread.
 *
 * @param permitsPerSecond greater than 0, at most {@value #MAX_PERMITS_PER_SECOND}
 * @param burst 1 to {@value #MAX_BURST}
 */
public record RateLimit(double permitsPerSecond, int burst) {
  public static final double MAX_PERMITS_PER_SECOND = 10_000;
  public static final int MAX_BURST = 10_000;

  /** @throws IllegalArgumentException if a value is out of range */
  public RateLimit {
    if (!(permitsPerSecond > 0) || permitsPerSecond > MAX_PERMITS_PER_SECOND) {
      throw new IllegalArgumentException("RateLimit permitsPerSecond must be greater than 0 and at most "
          + MAX_PERMITS_PER_SECOND + ", was " + permitsPerSecond);
    }
    if (burst < 1 || burst > MAX_BURST) {
      throw new IllegalArgumentException("RateLimit burst must be between 1 and " + MAX_BURST + ", was " + burst);
    }
  }

  /** {@code permitsPerSecond} with a burst of one second's worth (at least 1). */
  public static RateLimit perSecond(double permitsPerSecond) {
    return new RateLimit(permitsPerSecond, (int) Math.max(1, Math.min(MAX_BURST, Math.ceil(permitsPerSecond))));
  }

  public RateLimit withBurst(int burst) {
    return new RateLimit(permitsPerSecond, burst);
  }
}
