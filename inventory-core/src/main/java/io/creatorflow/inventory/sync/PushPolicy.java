package io.creatorflow.inventory.sync;

import java.time.Duration;
import java.util.Objects;

/**
 * How quantity pushes are coalesced, batched, paced and retried.
 *
 * <p>A push call ({@link io.creatorflow.inventory.spi.ShopClient#pushQuantities}) carries whole
 * products: when one SKU's coalescing window ends, every other SKU of the same shop product that
 * changed since its last push goes out in the same call, so a burst over a product's variants costs
 * one update of that product, not one per variant.
 *
 * <h2>Defaults</h2>
 *
 * The defaults suit a shop whose update API takes one product per request, as TikTok Shop's does
 * (documented limit: 50 requests per second per API, app and shop). With one product per call, each
 * call costs TikTok one inventory read and one product update, on two endpoints limited separately:
 *
 * <ul>
 *   <li>{@link #DEFAULT_MAX_PRODUCTS_PER_BATCH} 1: a burst over many products goes out as parallel
 *       calls instead of one call that updates product after product in sequence;
 *   <li>{@link #DEFAULT_RATE_LIMIT} 40 calls per second with a burst of 40: 80 % of the documented
 *       50 requests per second of each endpoint, leaving the rest to other callers on the same app
 *       and shop (the shop client's own limiter and its retries of rate-limited requests stay the
 *       hard guard);
 *   <li>{@link #DEFAULT_MAX_CONCURRENT_BATCHES} 20: enough calls in flight to keep up 40 calls per
 *       second at up to 500 ms per call (two shop requests of 250 ms). Each call in flight blocks one
 *       thread of the host's executor, so size it accordingly;
 *   <li>{@link #DEFAULT_COALESCE_WINDOW} 100 ms: the changes of a burst (concurrent checkouts) become
 *       one push per product with the latest values, and the shop hears of them a few hundred
 *       milliseconds later.
 * </ul>
 *
 * For a shop that updates many products in one request, raise {@code maxProductsPerBatch} (up to
 * {@code maxBatchSize}) and lower the rate limit to that shop's request budget.
 *
 * @param coalesceWindow how long after a SKU's first unpublished change its push waits for more
 *     changes; every change in the window is published as one push of the level read at push time.
 *     When the window ends, the product's other changed SKUs are pushed with it, whatever their own
 *     window says
 * @param maxBatchSize SKUs per {@link io.creatorflow.inventory.spi.ShopClient#pushQuantities} call
 *     (SKUs of one product are kept together; a product with more SKUs than this is split)
 * @param maxProductsPerBatch shop products per call, 1 to {@value #MAX_BATCH_SIZE}; a value of at
 *     least {@code maxBatchSize} leaves only {@code maxBatchSize} as the bound
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
    int maxProductsPerBatch,
    int maxConcurrentBatches,
    RateLimit rateLimit,
    RetryPolicy retry,
    boolean skipUnchanged,
    Duration drainTimeout) {

  public static final Duration DEFAULT_COALESCE_WINDOW = Duration.ofMillis(100);
  public static final int DEFAULT_MAX_BATCH_SIZE = 50;
  public static final int DEFAULT_MAX_PRODUCTS_PER_BATCH = 1;
  public static final int DEFAULT_MAX_CONCURRENT_BATCHES = 20;
  public static final RateLimit DEFAULT_RATE_LIMIT = RateLimit.perSecond(40);
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
    if (maxProductsPerBatch < 1 || maxProductsPerBatch > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException("PushPolicy maxProductsPerBatch must be between 1 and " + MAX_BATCH_SIZE
          + ", was " + maxProductsPerBatch);
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
        .maxProductsPerBatch(maxProductsPerBatch).maxConcurrentBatches(maxConcurrentBatches).rateLimit(rateLimit)
        .retry(retry).skipUnchanged(skipUnchanged).drainTimeout(drainTimeout);
  }

  /** Builds a {@link PushPolicy}; defaults are the {@code DEFAULT_*} constants. Not thread-safe. */
  public static final class Builder {
    private Duration coalesceWindow = DEFAULT_COALESCE_WINDOW;
    private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
    private int maxProductsPerBatch = DEFAULT_MAX_PRODUCTS_PER_BATCH;
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

    /**
     * Shop products per push call; 1 (the default) sends each product in its own call, in parallel
     * up to {@code maxConcurrentBatches}.
     */
    public Builder maxProductsPerBatch(int products) {
      this.maxProductsPerBatch = products;
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
      return new PushPolicy(coalesceWindow, maxBatchSize, maxProductsPerBatch, maxConcurrentBatches, rateLimit, retry,
          skipUnchanged, drainTimeout);
    }
  }
}
