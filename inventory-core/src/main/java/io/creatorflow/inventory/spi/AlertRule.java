package io.creatorflow.inventory.spi;

import io.creatorflow.inventory.CatalogItem;

/**
 * The alert policy a store applies, inside the same atomic step, to every SKU a mutation changes.
 * The decision itself is {@link #decide}: stores call it (or, like a Lua script, mirror it exactly)
 * and must not invent their own.
 *
 * <ul>
 *   <li>{@code OUT_OF_STOCK} opens when available &le; 0 and resolves when available &gt;
 *       hysteresis.
 *   <li>{@code LOW_STOCK} opens when 0 &lt; available &le; threshold and resolves when available
 *       &gt; threshold + hysteresis. A SKU that runs out keeps its low-stock alert open.
 * </ul>
 *
 * @param defaultThreshold the threshold for items that have none of their own
 * @param hysteresis how far above a threshold stock must rise before an alert resolves, so that
 *     stock bouncing around the threshold does not open and resolve alerts over and over
 */
public record AlertRule(long defaultThreshold, long hysteresis) {
  public AlertRule {
    if (defaultThreshold < 0 || hysteresis < 0) {
      throw new IllegalArgumentException(
          "threshold and hysteresis must not be negative: " + defaultThreshold + ", " + hysteresis);
    }
  }

  public long thresholdFor(CatalogItem item) {
    return item.effectiveThreshold(defaultThreshold);
  }

  /**
   * What to do with a SKU's alerts after a change.
   *
   * @param threshold the SKU's effective threshold
   * @param available available quantity after the change
   * @param lowOpen whether a low-stock alert is open before the change
   * @param outOpen whether an out-of-stock alert is open before the change
   */
  public Decision decide(long threshold, long available, boolean lowOpen, boolean outOpen) {
    return new Decision(
        !lowOpen && available > 0 && available <= threshold,
        lowOpen && available > threshold + hysteresis,
        !outOpen && available <= 0,
        outOpen && available > hysteresis);
  }

  /** The alert transitions for one SKU; at most one per kind is true. */
  public record Decision(boolean openLow, boolean resolveLow, boolean openOut, boolean resolveOut) {
    public boolean any() {
      return openLow || resolveLow || openOut || resolveOut;
    }
  }
}
