package io.creatorflow.inventory.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it, so that timestamps in movements, orders
 * and alerts are predictable. Time never moves by itself.
 *
 * <p>Thread-safe: several threads may read and move it at once; every reader sees a value some
 * writer set.
 */
public final class MutableClock extends Clock {
  /** The instant {@link #start()} begins at: 2025-01-01T00:00:00Z. */
  public static final Instant DEFAULT_START = Instant.parse("2025-01-01T00:00:00Z");

  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** A clock at {@link #DEFAULT_START}, in UTC. */
  public static MutableClock start() {
    return at(DEFAULT_START);
  }

  /** A clock at {@code instant}, in UTC. */
  public static MutableClock at(Instant instant) {
    return new MutableClock(new AtomicReference<>(Objects.requireNonNull(instant, "instant")), ZoneOffset.UTC);
  }

  /**
   * Moves the clock forward.
   *
   * @return the new instant
   * @throws IllegalArgumentException if {@code amount} is negative
   */
  public Instant advance(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    if (amount.isNegative()) {
      throw new IllegalArgumentException("a MutableClock only moves forward; amount was " + amount);
    }
    return now.updateAndGet(t -> t.plus(amount));
  }

  /** Moves the clock forward by {@code millis} milliseconds. */
  public Instant advanceMillis(long millis) {
    return advance(Duration.ofMillis(millis));
  }

  /**
   * Sets the clock to {@code instant}, which may be earlier than now (to test stale data).
   */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** A view of the same instant in another zone; moving either moves both. */
  @Override
  public Clock withZone(ZoneId zone) {
    return new MutableClock(now, Objects.requireNonNull(zone, "zone"));
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + ", " + zone + "]";
  }
}
