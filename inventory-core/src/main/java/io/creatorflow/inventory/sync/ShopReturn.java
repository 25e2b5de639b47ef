package io.creatorflow.inventory.sync;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A return (goods coming back after shipment) as a shop reports it, for {@link ShopSync#applyReturn}.
 *
 * @param orderId the shop's order id
 * @param returnId the shop's return id; with the order id, the idempotency key of the return
 * @param completed whether the goods are back (the shop considers the return complete and it is a
 *     return of goods, not a refund only); only completed returns change anything
 * @param lines what comes back, by the shop's SKU ids
 * @param updatedAt when the shop last changed the return
 */
public record ShopReturn(String orderId, String returnId, boolean completed, List<Line> lines, Instant updatedAt) {
  public ShopReturn {
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(returnId, "returnId");
    Objects.requireNonNull(updatedAt, "updatedAt");
    lines = List.copyOf(lines);
  }

  /**
   * Units of one shop SKU coming back.
   *
   * @param quantity at least 1
   */
  public record Line(String skuId, long quantity) {
    public Line {
      Objects.requireNonNull(skuId, "skuId");
      if (quantity < 1) {
        throw new IllegalArgumentException("a return line's quantity must be positive, was " + quantity);
      }
    }
  }
}
