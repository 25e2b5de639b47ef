package io.creatorflow.inventory.sync;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How catalog reconciliation runs: the shop's catalog is read page by page, each SKU is compared
 * with what the engine expects the shop to show ({@link ChannelPolicy} applied to available), and
 * differences are reported, and repaired by a push if {@code mode} is {@link Mode#REPAIR}. Local
 * stock is never changed from shop numbers.
 *
 * @param mode whether drift is repaired or only reported
 * @param interval how often the periodic reconciliation runs; {@code null} disables it ({@link
 *     ShopSync#reconcile()} still works on demand)
 * @param initialDelay the delay before the first periodic run after {@link ShopSync#start()}
 * @param pageSize 1 to 100 catalog entries per page (the shop's page size)
 * @param rateLimit catalog page calls per second
 * @param retry for a catalog page whose call fails retryably; a page that still fails ends the run
 *     (paging is by token) and the result says so
 * @param maxOutstandingRepairs repairs pushed but not yet answered at once; repairs start once the
 *     whole catalog has been read (repairing while paging could make the shop reorder its catalog and
 *     skip products), so that a catalog full of drift never floods the push queue
 */
public record ReconcilePolicy(
    Mode mode,
    @Nullable Duration interval,
    Duration initialDelay,
    int pageSize,
    RateLimit rateLimit,
    RetryPolicy retry,
    int maxOutstandingRepairs) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(15);
  public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofMinutes(1);
  public static final int DEFAULT_PAGE_SIZE = 100;
  public static final RateLimit DEFAULT_RATE_LIMIT = RateLimit.perSecond(5);
  public static final RetryPolicy DEFAULT_RETRY = RetryPolicy.of(5, Duration.ofSeconds(1), Duration.ofSeconds(30));
  public static final int DEFAULT_MAX_OUTSTANDING_REPAIRS = 500;

  /** Whether drift is repaired. */
  public enum Mode {
    /** Drift is reported and the engine's quantity is pushed to the shop. */
    REPAIR,
    /** Drift is only reported. */
    REPORT_ONLY
  }

  /** @throws IllegalArgumentException naming the first value out of range */
  public ReconcilePolicy {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(rateLimit, "rateLimit");
    Objects.requireNonNull(retry, "retry");
    if (interval != null && interval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("ReconcilePolicy interval must be at least 1 second, was " + interval);
    }
    if (initialDelay.isNegative()) {
      throw new IllegalArgumentException("ReconcilePolicy initialDelay must not be negative, was " + initialDelay);
    }
    if (pageSize < 1 || pageSize > 100) {
      throw new IllegalArgumentException("ReconcilePolicy pageSize must be between 1 and 100, was " + pageSize);
    }
    if (maxOutstandingRepairs < 1 || maxOutstandingRepairs > 1_000_000) {
      throw new IllegalArgumentException(
          "ReconcilePolicy maxOutstandingRepairs must be between 1 and 1,000,000, was " + maxOutstandingRepairs);
    }
  }

  public static ReconcilePolicy ofDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder().mode(mode).initialDelay(initialDelay).pageSize(pageSize).rateLimit(rateLimit)
        .retry(retry).maxOutstandingRepairs(maxOutstandingRepairs);
    b.interval = interval;
    return b;
  }

  /** Builds a {@link ReconcilePolicy}; defaults are the {@code DEFAULT_*} constants and REPAIR. Not thread-safe. */
  public static final class Builder {
    private Mode mode = Mode.REPAIR;
    private @Nullable Duration interval = DEFAULT_INTERVAL;
    private Duration initialDelay = DEFAULT_INITIAL_DELAY;
    private int pageSize = DEFAULT_PAGE_SIZE;
    private RateLimit rateLimit = DEFAULT_RATE_LIMIT;
    private RetryPolicy retry = DEFAULT_RETRY;
    private int maxOutstandingRepairs = DEFAULT_MAX_OUTSTANDING_REPAIRS;

    private Builder() {}

    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    public Builder interval(Duration interval) {
      this.interval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /** Disables the periodic reconciliation. */
    public Builder noSchedule() {
      this.interval = null;
      return this;
    }

    public Builder initialDelay(Duration delay) {
      this.initialDelay = Objects.requireNonNull(delay, "initialDelay");
      return this;
    }

    public Builder pageSize(int pageSize) {
      this.pageSize = pageSize;
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

    public Builder maxOutstandingRepairs(int repairs) {
      this.maxOutstandingRepairs = repairs;
      return this;
    }

    /** @throws IllegalArgumentException naming the first value out of range */
    public ReconcilePolicy build() {
      return new ReconcilePolicy(mode, interval, initialDelay, pageSize, rateLimit, retry, maxOutstandingRepairs);
    }
  }
}
