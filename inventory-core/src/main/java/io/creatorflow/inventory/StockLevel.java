package io.creatorflow.inventory;

import java.time.Instant;

/**
 * The quantities of one SKU at one moment.
 *
 * @param onHand physically present
 * @param reserved promised to open orders, not yet shipped
 * @param version increases by one with every committed movement of this SKU
 * @param updatedAt when the last movement was committed (the registration time before any)
 */
public record StockLevel(TenantId tenant, Sku sku, long onHand, long reserved, long version, Instant updatedAt) {

  /** A new SKU's level: nothing on hand, nothing reserved. */
  public static StockLevel empty(TenantId tenant, Sku sku, Instant at) {
    return new StockLevel(tenant, sku, 0, 0, 0, at);
  }

  /** {@code onHand - reserved}; negative only for SKUs that allow backorders. */
  public long available() {
    return onHand - reserved;
  }

  /** The status of this level against a low-stock threshold. */
  public StockStatus status(long threshold) {
    return StockStatus.of(available(), threshold);
  }
}
