package io.creatorflow.inventory.sync.internal;

import io.creatorflow.inventory.sync.RateLimit;
import java.time.Clock;

/**
 * A token bucket that hands out reservations instead of blocking: {@link #reserve()} takes a permit
 * and says how long the caller must wait before using it, so the caller can schedule its call on an
 * executor. Time comes from the injected clock. Thread-safe.
 */
public final class TokenBucket {
  private final Clock clock;
  private final double permitsPerMilli;
  private final double burst;
  private double tokens;
  private long lastMillis;

  public TokenBucket(RateLimit limit, Clock clock) {
    this.clock = clock;
    this.permitsPerMilli = limit.permitsPerSecond() / 1000.0;
    this.burst = limit.burst();
    this.tokens = burst;
    this.lastMillis = clock.millis();
  }

  /**
   * Takes one permit.
   *
   * @return milliseconds until the permit may be used (0: at once)
   */
  public synchronized long reserve() {
    long now = clock.millis();
    if (now > lastMillis) {
      tokens = Math.min(burst, tokens + (now - lastMillis) * permitsPerMilli);
      lastMillis = now;
    }
    tokens -= 1;
    if (tokens >= 0) {
      return 0;
    }
    return (long) Math.ceil(-tokens / permitsPerMilli);
  }
}
