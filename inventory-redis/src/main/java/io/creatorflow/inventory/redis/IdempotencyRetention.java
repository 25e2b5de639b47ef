package io.creatorflow.inventory.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How long the Redis store keeps idempotency records (and processed inbox events, which are the
 * inbox's deduplication records). The default, {@link #forever()}, keeps them forever: a retry with
 * the same key replays however late it comes.
 *
 * <p>With {@link #expireAfter}, an idempotency record is a Redis key with that TTL (Redis' clock),
 * set in the same script that applies the mutation; after it expires, the same key applies again.
 * Processed inbox events are removed once they are older than the TTL (by the engine's clock), a
 * hundred at a time by later inbox calls of the same tenant; a redelivery after that is recorded as
 * new. Choose a TTL longer than any client or shop retries.
 *
 * <p>Immutable and thread-safe.
 */
public final class IdempotencyRetention {
  private static final IdempotencyRetention FOREVER = new IdempotencyRetention(Duration.ZERO);

  private final Duration ttl;

  private IdempotencyRetention(Duration ttl) {
    this.ttl = ttl;
  }

  /** Keeps records forever: the default. */
  public static IdempotencyRetention forever() {
    return FOREVER;
  }

  /**
   * Keeps records for {@code ttl} (at least one millisecond).
   *
   * @throws IllegalArgumentException if {@code ttl} is shorter than one millisecond
   */
  public static IdempotencyRetention expireAfter(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("idempotency ttl must be at least 1 ms, was " + ttl);
    }
    return new IdempotencyRetention(ttl);
  }

  /** The time to live, or empty for forever. */
  public Optional<Duration> ttl() {
    return ttl.isZero() ? Optional.empty() : Optional.of(ttl);
  }

  long ttlMillis() {
    return ttl.toMillis();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdempotencyRetention other && other.ttl.equals(ttl);
  }

  @Override
  public int hashCode() {
    return ttl.hashCode();
  }

  @Override
  public String toString() {
    return ttl.isZero() ? "IdempotencyRetention.forever()" : "IdempotencyRetention.expireAfter(" + ttl + ")";
  }
}
