package io.creatorflow.inventory.redis.internal;

import java.time.Instant;

/**
 * Instants as stored in Redis: a 27-digit "time key" that keeps full nanosecond precision and sorts
 * (as a string) exactly like the instants, plus epoch milliseconds for sorted-set scores.
 *
 * <p>The time key is the epoch second shifted by {@code -Instant.MIN.getEpochSecond()} (so it is never
 * negative), zero-padded to 18 digits, followed by the nano-of-second zero-padded to 9 digits. Every
 * {@link Instant} from {@link Instant#MIN} to {@link Instant#MAX} round-trips exactly.
 *
 * <p>Thread-safe (stateless).
 */
public final class TimeKeys {
  /** Added to epoch seconds so that {@link Instant#MIN} encodes as zero. */
  static final long SECONDS_OFFSET = -Instant.MIN.getEpochSecond();
  /** The length of every time key. */
  public static final int LENGTH = 27;

  private TimeKeys() {}

  public static String key(Instant instant) {
    char[] out = new char[LENGTH];
    long seconds = instant.getEpochSecond() + SECONDS_OFFSET;
    for (int i = 17; i >= 0; i--) {
      out[i] = (char) ('0' + (seconds % 10));
      seconds /= 10;
    }
    int nanos = instant.getNano();
    for (int i = 26; i >= 18; i--) {
      out[i] = (char) ('0' + (nanos % 10));
      nanos /= 10;
    }
    return new String(out);
  }

  /**
   * @throws IllegalArgumentException if {@code key} is not a time key
   */
  public static Instant parse(String key) {
    if (key.length() != LENGTH) {
      throw new IllegalArgumentException("not a time key: '" + key + "'");
    }
    try {
      long seconds = Long.parseLong(key, 0, 18, 10) - SECONDS_OFFSET;
      int nanos = Integer.parseInt(key, 18, LENGTH, 10);
      return Instant.ofEpochSecond(seconds, nanos);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a time key: '" + key + "'", e);
    }
  }

  /** Epoch milliseconds, rounded down, saturated at the range of {@code long}. */
  public static long millis(Instant instant) {
    try {
      return instant.toEpochMilli();
    } catch (ArithmeticException e) {
      return instant.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
