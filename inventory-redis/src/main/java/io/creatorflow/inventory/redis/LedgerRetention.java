package io.creatorflow.inventory.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * How long the Redis store keeps ledger rows (movements). The default, {@link #keepAll()}, keeps
 * every movement forever, so that replaying a SKU's ledger from zero always gives its current stock.
 *
 * <p>With a limit, the {@code apply} script that appends a SKU's movement also removes that SKU's
 * oldest rows the limit no longer keeps (at most 64 per change, in the same atomic step). Rows of a
 * SKU that never changes again are not removed. Every row carries its before and after quantities,
 * so a SKU's ledger still replays exactly from its oldest kept row. Idempotency records keep their
 * own copy of the movements they replay, so trimming the ledger never changes a replay.
 *
 * <p>Immutable and thread-safe.
 */
public final class LedgerRetention {
  private static final LedgerRetention KEEP_ALL = new LedgerRetention(0, null);

  private final long maxMovementsPerSku;
  private final @Nullable Duration maxAge;

  private LedgerRetention(long maxMovementsPerSku, @Nullable Duration maxAge) {
    this.maxMovementsPerSku = maxMovementsPerSku;
    this.maxAge = maxAge;
  }

  /** Keeps every movement forever: the default. */
  public static LedgerRetention keepAll() {
    return KEEP_ALL;
  }

  /**
   * Keeps the newest {@code movements} rows of each SKU.
   *
   * @throws IllegalArgumentException if {@code movements} is less than 1
   */
  public static LedgerRetention latestPerSku(long movements) {
    if (movements < 1) {
      throw new IllegalArgumentException("movements per sku must be at least 1, was " + movements);
    }
    return new LedgerRetention(movements, null);
  }

  /**
   * Drops a SKU's rows that are older than {@code age} at the time of the SKU's next movement
   * (movement times are the engine's clock, not Redis').
   *
   * @throws IllegalArgumentException if {@code age} is not positive
   */
  public static LedgerRetention maxAge(Duration age) {
    Objects.requireNonNull(age, "age");
    if (age.isNegative() || age.isZero()) {
      throw new IllegalArgumentException("max age must be positive, was " + age);
    }
    return new LedgerRetention(0, age);
  }

  /** Whether every movement is kept. */
  public boolean keepsAll() {
    return maxMovementsPerSku == 0 && maxAge == null;
  }

  /** The rows kept per SKU, if limited. */
  public OptionalLong maxMovementsPerSku() {
    return maxMovementsPerSku == 0 ? OptionalLong.empty() : OptionalLong.of(maxMovementsPerSku);
  }

  /** The age past which rows are dropped, if limited. */
  public Optional<Duration> maxAge() {
    return Optional.ofNullable(maxAge);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LedgerRetention other
        && other.maxMovementsPerSku == maxMovementsPerSku
        && Objects.equals(other.maxAge, maxAge);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxMovementsPerSku, maxAge);
  }

  @Override
  public String toString() {
    if (keepsAll()) {
      return "LedgerRetention.keepAll()";
    }
    return maxAge != null ? "LedgerRetention.maxAge(" + maxAge + ")" : "LedgerRetention.latestPerSku(" + maxMovementsPerSku + ")";
  }
}
