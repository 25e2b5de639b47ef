package io.creatorflow.inventory;

/** How a SKU's available quantity compares with its low-stock threshold. */
public enum StockStatus {
  /** available &gt; threshold. */
  IN_STOCK,
  /** 0 &lt; available &le; threshold. */
  LOW_STOCK,
  /** available &le; 0. */
  OUT_OF_STOCK;

  /** The status for an available quantity and a threshold. Stores' queries must agree with this. */
  public static StockStatus of(long available, long threshold) {
    if (available <= 0) {
      return OUT_OF_STOCK;
    }
    return available <= threshold ? LOW_STOCK : IN_STOCK;
  }
}
