package io.creatorflow.inventory.testkit.tiktok;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of an emulated order.
 *
 * @param status as the order API spells it: {@code AWAITING_SHIPMENT}, {@code IN_TRANSIT}, {@code
 *     CANCELLED}, ...
 */
public record EmulatedOrder(String id, String status, Instant createTime, Instant updateTime, List<Line> lines) {
  public EmulatedOrder {
    lines = List.copyOf(lines);
  }

  /** {@code quantity} units of a SKU; the order API shows one line item per unit. */
  public record Line(String productId, String skuId, int quantity) {
    public Line {
      if (quantity < 1) {
        throw new IllegalArgumentException("quantity must be positive, was " + quantity);
      }
    }
  }
}
