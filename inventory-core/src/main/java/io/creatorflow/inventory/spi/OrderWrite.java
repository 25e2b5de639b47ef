package io.creatorflow.inventory.spi;

import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderLine;
import io.creatorflow.inventory.OrderStatus;
import java.util.List;

/**
 * A guarded write of an order record, applied with a mutation.
 *
 * @param expectedVersion the order's current version; {@code 0} means the order must not exist yet
 * @param status the status after the mutation
 * @param lines the order's lines after the mutation
 * @param returned the returned quantities after the mutation
 */
public record OrderWrite(
    OrderId id, long expectedVersion, OrderStatus status, List<OrderLine> lines, List<OrderLine> returned) {
  public OrderWrite {
    lines = List.copyOf(lines);
    returned = List.copyOf(returned);
  }
}
