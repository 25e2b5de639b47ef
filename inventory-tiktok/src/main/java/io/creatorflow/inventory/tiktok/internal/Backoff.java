package io.creatorflow.inventory.tiktok.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Retry delays: exponential backoff with "equal jitter" (half fixed, half random, so retries of many
 * clients spread out but never collapse to zero), and {@code Retry-After} parsing in both of its forms.
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final DoubleSupplier random;

  /**
   * @param random uniform values in {@code [0, 1)}
   */
  public Backoff(Duration initial, Duration max, DoubleSupplier random) {
    this.initial = initial;
    this.max = max;
    this.random = random;
  }

  /** The wait before retry number {@code retry} (1 for the first retry). */
  public Duration delay(int retry) {
    long base = initial.toMillis();
    long cap = max.toMillis();
    long exp = base;
    for (int i = 1; i < retry && exp < cap; i++) {
      exp *= 2;
    }
    exp = Math.min(exp, cap);
    long half = exp / 2;
    long jitter = (long) Math.floor(random.getAsDouble() * (exp - half + 1));
    return Duration.ofMillis(half + Math.min(jitter, exp - half));
  }

  /**
   * Parses a {@code Retry-After} header: delta-seconds or an HTTP date (RFC 1123). A date in the past
   * gives zero; anything unreadable gives {@code null}.
   */
  public static @Nullable Duration parseRetryAfter(@Nullable String header, Clock clock) {
    if (header == null) {
      return null;
    }
    String value = header.trim();
    if (value.isEmpty()) {
      return null;
    }
    if (value.chars().allMatch(Character::isDigit)) {
      try {
        return Duration.ofSeconds(Long.parseLong(value));
      } catch (NumberFormatException tooLarge) {
        return null;
      }
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(clock.instant(), at);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
