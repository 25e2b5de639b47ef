package io.creatorflow.inventory.sync;

import io.creatorflow.inventory.internal.Checks;

/**
 * What a channel is shown for a SKU's available quantity: {@code available - buffer}, published as
 * 0 when it falls below {@code outOfStockBelow}, never below 0 and never above {@code cap}.
 *
 * <pre>{@code
 * ChannelPolicy.builder().buffer(2).outOfStockBelow(3).cap(500).build()
 * // available 10 -> 8, available 4 -> 0 (2 is below 3), available 1 -> 0, available 900 -> 500
 * }</pre>
 *
 * @param buffer held back from the channel (safety stock) so that a spike cannot oversell between a
 *     sale and the next push; 0 to {@value Checks#MAX_QUANTITY}
 * @param cap the most the channel is ever shown, or {@link #NO_CAP}; 0 shows the SKU as sold out
 * @param outOfStockBelow a channel quantity below this is published as 0 ("show sold out when only a
 *     few are left"); 0 disables the rule
 */
public record ChannelPolicy(long buffer, long cap, long outOfStockBelow) {
  /** {@link #cap()} when there is none. */
  public static final long NO_CAP = Long.MAX_VALUE;

  private static final ChannelPolicy DEFAULTS = new ChannelPolicy(0, NO_CAP, 0);

  /**
   * @throws IllegalArgumentException if a value is negative or above the maximum quantity
   */
  public ChannelPolicy {
    requireQuantity(buffer, "buffer");
    if (cap != NO_CAP) {
      requireQuantity(cap, "cap");
    }
    requireQuantity(outOfStockBelow, "outOfStockBelow");
  }

  /** No buffer, no cap, no out-of-stock rule: the channel is shown exactly what is available. */
  public static ChannelPolicy ofDefaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy. */
  public Builder toBuilder() {
    return new Builder().buffer(buffer).cap(cap).outOfStockBelow(outOfStockBelow);
  }

  /**
   * The quantity to publish for {@code available} (which may be negative for SKUs that allow
   * backorders); always between 0 and {@link #cap()}.
   */
  public long shopQuantity(long available) {
    long quantity = available - buffer;
    if (quantity < outOfStockBelow) {
      quantity = 0;
    }
    return Math.max(0, Math.min(quantity, cap));
  }

  private static void requireQuantity(long value, String name) {
    if (value < 0 || value > Checks.MAX_QUANTITY) {
      throw new IllegalArgumentException(
          "ChannelPolicy " + name + " must be between 0 and " + Checks.MAX_QUANTITY + ", was " + value);
    }
  }

  /**
   * Builds a {@link ChannelPolicy}. Defaults: buffer 0, no cap, no out-of-stock rule. Setters
   * validate at once. Not thread-safe.
   */
  public static final class Builder {
    private long buffer;
    private long cap = NO_CAP;
    private long outOfStockBelow;

    private Builder() {}

    /** @throws IllegalArgumentException if negative or above the maximum quantity */
    public Builder buffer(long buffer) {
      requireQuantity(buffer, "buffer");
      this.buffer = buffer;
      return this;
    }

    /** @throws IllegalArgumentException if negative or above the maximum quantity (and not {@link #NO_CAP}) */
    public Builder cap(long cap) {
      if (cap != NO_CAP) {
        requireQuantity(cap, "cap");
      }
      this.cap = cap;
      return this;
    }

    /** Removes the cap. */
    public Builder noCap() {
      this.cap = NO_CAP;
      return this;
    }

    /** @throws IllegalArgumentException if negative or above the maximum quantity */
    public Builder outOfStockBelow(long threshold) {
      requireQuantity(threshold, "outOfStockBelow");
      this.outOfStockBelow = threshold;
      return this;
    }

    public ChannelPolicy build() {
      return new ChannelPolicy(buffer, cap, outOfStockBelow);
    }
  }
}
