package io.creatorflow.inventory;

import java.time.Instant;
import java.util.List;

/**
 * An order as the store holds it.
 *
 * @param lines the reserved lines, merged per SKU and sorted by SKU
 * @param returned quantities returned so far per SKU (only after fulfilment), merged and sorted
 * @param version increases by one with every change of the order; 1 after the reservation
 */
public record Order(
    TenantId tenant,
    OrderId id,
    OrderStatus status,
    List<OrderLine> lines,
    List<OrderLine> returned,
    long version,
    Instant createdAt,
    Instant updatedAt) {

  public Order {
    lines = List.copyOf(lines);
    returned = List.copyOf(returned);
  }
}
