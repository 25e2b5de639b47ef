package io.creatorflow.inventory;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a stock operation did.
 *
 * @param movements the ledger rows it committed, with before/after quantities; on a replay, the rows
 *     the original call committed
 * @param order the order after the operation, for order operations
 * @param replayed {@code true} if the idempotency key (or order id) had been applied before and this
 *     call changed nothing
 */
public record OperationResult(List<Movement> movements, @Nullable Order order, boolean replayed) {
  public OperationResult {
    movements = List.copyOf(movements);
  }

  /**
   * The single movement of a one-SKU operation.
   *
   * @throws IllegalStateException if the operation made no movement or several
   */
  public Movement movement() {
    if (movements.size() != 1) {
      throw new IllegalStateException("the operation made " + movements.size() + " movements, not one");
    }
    return movements.get(0);
  }

  /**
   * The order of an order operation.
   *
   * @throws IllegalStateException if the operation was not about an order
   */
  public Order requireOrder() {
    if (order == null) {
      throw new IllegalStateException("the operation was not about an order");
    }
    return order;
  }
}
