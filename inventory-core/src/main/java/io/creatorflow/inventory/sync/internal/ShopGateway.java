package io.creatorflow.inventory.sync.internal;

import io.creatorflow.inventory.ConflictException;
import io.creatorflow.inventory.InvalidRequestException;
import io.creatorflow.inventory.NotFoundException;
import io.creatorflow.inventory.spi.ShopClient;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Every call sync makes to the {@link ShopClient} goes through here, so that shop health (last
 * success, last error, failures in a row) is known, and exceptions are classified as retryable or
 * not. Thread-safe.
 */
public final class ShopGateway {
  /**
   * The default classification: invalid requests, unknown things and conflicts are not worth
   * retrying; anything else (unavailable shop or store, rate limits, time-outs) is.
   */
  public static final Predicate<RuntimeException> DEFAULT_RETRYABLE =
      e -> !(e instanceof InvalidRequestException || e instanceof NotFoundException || e instanceof ConflictException
          || e instanceof IllegalArgumentException);

  private final ShopClient client;
  private final Clock clock;
  private final Predicate<RuntimeException> retryable;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private volatile @Nullable Instant lastSuccess;
  private volatile @Nullable Instant lastErrorAt;
  private volatile @Nullable String lastError;

  public ShopGateway(ShopClient client, Clock clock, Predicate<RuntimeException> retryable) {
    this.client = client;
    this.clock = clock;
    this.retryable = retryable;
  }

  public ShopClient client() {
    return client;
  }

  public String channel() {
    return client.channel();
  }

  /** Runs one shop call, recording its success or failure; rethrows failures. */
  public <T> T call(String operation, Supplier<T> call) {
    try {
      T result = call.get();
      lastSuccess = clock.instant();
      consecutiveFailures.set(0);
      return result;
    } catch (RuntimeException e) {
      lastErrorAt = clock.instant();
      lastError = operation + ": " + describe(e);
      consecutiveFailures.incrementAndGet();
      throw e;
    }
  }

  /** Whether a failed call may succeed if tried again later. */
  public boolean isRetryable(RuntimeException e) {
    try {
      return retryable.test(e);
    } catch (RuntimeException classifierFailure) {
      return true;
    }
  }

  /** A short code for a failure: the exception's simple class name. */
  public static String code(Throwable e) {
    return e.getClass().getSimpleName();
  }

  /** The exception's message, or its class name when it has none. */
  public static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  public @Nullable Instant lastSuccess() {
    return lastSuccess;
  }

  public @Nullable Instant lastErrorAt() {
    return lastErrorAt;
  }

  public @Nullable String lastError() {
    return lastError;
  }

  public int consecutiveFailures() {
    return consecutiveFailures.get();
  }
}
