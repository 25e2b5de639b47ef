package io.creatorflow.inventory.sync;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how patiently a failed shop call is tried again: exponential backoff from {@code
 * initialBackoff}, doubling up to {@code maxBackoff}, each delay shortened by a random share of up to
 * {@code jitter} so that many instances do not retry in lock step.
 *
 * @param maxAttempts attempts in all, including the first; 1 (no retries) to {@value #MAX_ATTEMPTS}
 * @param initialBackoff the delay after the first failure; positive
 * @param maxBackoff the longest delay; at least {@code initialBackoff}
 * @param jitter 0 (none) to 1 (full jitter)
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter) {
  public static final int MAX_ATTEMPTS = 100;

  /** @throws IllegalArgumentException if a value is out of range */
  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
      throw new IllegalArgumentException(
          "RetryPolicy maxAttempts must be between 1 and " + MAX_ATTEMPTS + ", was " + maxAttempts);
    }
    if (initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException("RetryPolicy initialBackoff must be positive, was " + initialBackoff);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("RetryPolicy maxBackoff " + maxBackoff + " is shorter than initialBackoff "
          + initialBackoff);
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("RetryPolicy jitter must be between 0 and 1, was " + jitter);
    }
  }

  /** {@code maxAttempts} with backoff from {@code initialBackoff} to {@code maxBackoff} and 20 % jitter. */
  public static RetryPolicy of(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, 0.2);
  }

  /** One attempt, no retries. */
  public static RetryPolicy noRetries() {
    return new RetryPolicy(1, Duration.ofSeconds(1), Duration.ofSeconds(1), 0);
  }

  public RetryPolicy withJitter(double jitter) {
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, jitter);
  }

  /**
   * The delay before attempt {@code failedAttempts + 1}.
   *
   * @param failedAttempts attempts failed so far, at least 1
   * @param random a value in {@code [0, 1)}
   */
  public Duration backoff(int failedAttempts, double random) {
    if (failedAttempts < 1) {
      throw new IllegalArgumentException("failedAttempts must be at least 1, was " + failedAttempts);
    }
    long initial = initialBackoff.toMillis();
    long max = maxBackoff.toMillis();
    int shift = Math.min(failedAttempts - 1, 30);
    long base = initial > (max >> shift) ? max : Math.min(max, initial << shift);
    long delay = Math.round(base * (1 - jitter * Math.max(0, Math.min(1, random))));
    return Duration.ofMillis(Math.max(1, delay));
  }
}
