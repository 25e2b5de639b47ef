package io.creatorflow.inventory;

import java.time.Duration;
import java.util.Objects;

/**
 * How the engine retries alert delivery: exponential backoff from {@code initialBackoff}, multiplied
 * by {@code multiplier} after each failed attempt, capped at {@code maxBackoff}, for at most {@code
 * maxAttempts} attempts per notification and sink.
 */
public record AlertDeliveryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
  public static final double DEFAULT_MULTIPLIER = 2.0;
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(1);

  public AlertDeliveryPolicy {
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new IllegalArgumentException("maxAttempts must be between 1 and 100, was " + maxAttempts);
    }
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoff must satisfy 0 <= initialBackoff <= maxBackoff, was " + initialBackoff + " and " + maxBackoff);
    }
    if (!(multiplier >= 1.0 && multiplier <= 10.0)) {
      throw new IllegalArgumentException("multiplier must be between 1 and 10, was " + multiplier);
    }
  }

  /** 5 attempts, 1 s initial backoff, doubling, at most 1 min apart. */
  public static AlertDeliveryPolicy ofDefaults() {
    return new AlertDeliveryPolicy(DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF, DEFAULT_MULTIPLIER, DEFAULT_MAX_BACKOFF);
  }

  /** The wait before attempt {@code attempt + 1}, after {@code attempt} failed (1-based). */
  public Duration backoffAfter(int attempt) {
    double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
    return millis >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis((long) millis);
  }
}
