package io.creatorflow.inventory.sync;

import java.time.Duration;
import java.util.Objects;

/**
 * How quantity pushes are coalesced, batched, paced and retried.
 *
 * @param coalesceWindow how long after a SKU's first unpublished change its push waits for more
 *     changes; every change in the window is published as one push of the level read at push time
 * @param maxBatchSize SKUs per {@link io.creatorflow.inventory.spi.ShopClient#pushQuantities} call
 *     (SKUs of one product are kept together)
 * @param maxConcurrentBatches push calls in flight at once
 * @param rateLimit push calls per second
 * @param retry for pushes that fail retryably (the shop's per-SKU {@code retryable} flag, or an
 *     exception the failure classifier calls retryable)
 * @param skipUnchanged whether a push is left out when the quantity equals the last one the shop
 *     acknowledged for the SKU (reconciliation repairs are always sent)
 * @param drainTimeout how long {@link ShopSync#close()} waits for pending pushes
 */
public record PushPolicy(
    Duration coalesceWindow,
    int maxBatchSize,
    int maxConcurrentBatches,
    RateLimit rateLimit,
    RetryPolicy retry,
    boolean skipUnchanged,
    Duration drainTimeout) {

  public static final Duration DEFAULT_COALESCE_WINDOW = Duration.ofMillis(200);
  public static final int DEFAULT_MAX_BATCH_SIZE = 50;
  public static final int DEFAULT_MAX_CONCURRENT_BATCHES = 2;
  public static final RateLimit DEFAULT_RATE_LIMIT = RateLimit.perSecond(10);
  public static final RetryPolicy DEFAULT_RETRY = RetryPolicy.of(6, Duration.ofMillis(500), Duration.ofSeconds(30));
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);
  public static final int MAX_BATCH_SIZE = 1000;
  public static final int MAX_CONCURRENT_BATCHES = 64;

  /** @throws IllegalArgumentException if a value is out of range */
  public PushPolicy {
    Objects.requireNonNull(coalesceWindow, "coalesceWindow");
    Objects.requireNonNull(rateLimit, "rateLimit");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(drainTimeout, "drainTimeout");
    if (coalesceWindow.isNegative() || coalesceWindow.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("PushPolicy coalesceWindow must be between 0 and 1 minute, was "
          + coalesceWindow + "; the shop should hear about a change within seconds");
    }
    if (maxBatchSize < 1 || maxBatchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException(
          "PushPolicy maxBatchSize must be between 1 and " + MAX_BATCH_SIZE + ", was " + maxBatchSize);
    }
    if (maxConcurrentBatches < 1 || maxConcurrentBatches > MAX_CONCURRENT_BATCHES) {
      throw new IllegalArgumentException("PushPolicy maxConcurrentBatches must be between 1 and "
          + MAX_CONCURRENT_BATCHES + ", was " + maxConcurrentBatches);
    }
    if (drainTimeout.isNegative()) {
      throw new IllegalArgumentException("PushPolicy drainTimeout must not be negative, was " + drainTimeout);
    }
  }

  /** The defaults named by the {@code DEFAULT_*} constants; pushes skip unchanged quantities. */
  public static PushPolicy ofDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().coalesceWindow(coalesceWindow).maxBatchSize(maxBatchSize)
        .maxConcurrentBatches(maxConcurrentBatches).rateLimit(rateLimit).retry(retry).skipUnchanged(skipUnchanged)
        .drainTimeout(drainTimeout);
  }

  /** Builds a {@link PushPolicy}; defaults are the {@code DEFAULT_*} constants. Not thread-safe. */
  public static final class Builder {
    private Duration coalesceWindow = DEFAULT_COALESCE_WINDOW;
    private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
    private int maxConcurrentBatches = DEFAULT_MAX_CONCURRENT_BATCHES;
    private RateLimit rateLimit = DEFAULT_RATE_LIMIT;
    private RetryPolicy retry = DEFAULT_RETRY;
    private boolean skipUnchanged = true;
    private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;

    private Builder() {}

    public Builder coalesceWindow(Duration window) {
      this.coalesceWindow = Objects.requireNonNull(window, "coalesceWindow");
      return this;
    }

    public Builder maxBatchSize(int size) {
      this.maxBatchSize = size;
      return this;
    }

    public Builder maxConcurrentBatches(int batches) {
      this.maxConcurrentBatches = batches;
      return this;
    }

    public Builder rateLimit(RateLimit rateLimit) {
      this.rateLimit = Objects.requireNonNull(rateLimit, "rateLimit");
      return this;
    }

    public Builder retry(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    public Builder skipUnchanged(boolean skip) {
      this.skipUnchanged = skip;
      return this;
    }

    public Builder drainTimeout(Duration timeout) {
      this.drainTimeout = Objects.requireNonNull(timeout, "drainTimeout");
      return this;
    }

    /** @throws IllegalArgumentException naming the first value out of range */
    public PushPolicy build() {
      return new PushPolicy(coalesceWindow, maxBatchSize, maxConcurrentBatches, rateLimit, retry, skipUnchanged,
          drainTimeout);
    }
  }
}
