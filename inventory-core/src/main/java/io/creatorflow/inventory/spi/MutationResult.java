package io.creatorflow.inventory.spi;

import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.Order;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The outcome of {@link StockStore#apply(Mutation)}: applied, replayed, or rejected. */
public sealed interface MutationResult {

  /**
   * Everything was committed.
   *
   * @param movements one per change, in the order of the changes, with store-assigned ids and the
   *     before/after quantities the store saw
   * @param alertEvents alerts opened or resolved by this mutation
   * @param order the order record after the mutation, if it wrote one
   */
  record Applied(List<Movement> movements, List<AlertEvent> alertEvents, @Nullable Order order)
      implements MutationResult {
    public Applied {
      movements = List.copyOf(movements);
      alertEvents = List.copyOf(alertEvents);
    }
  }

  /**
   * The idempotency key was recorded already; nothing was changed.
   *
   * @param fingerprint the fingerprint recorded with the key
   * @param movements the movements the original mutation committed
   * @param order the order the original mutation wrote, in its current state, or {@code null}
   */
  record Replayed(String fingerprint, List<Movement> movements, @Nullable Order order)
      implements MutationResult {
    public Replayed {
      movements = List.copyOf(movements);
    }
  }

  /**
   * A guard failed; nothing was changed.
   *
   * @param sku the SKU whose guard failed, for SKU rejections
   * @param level that SKU's level when the guard failed, if it exists
   * @param order the current order record, for order rejections
   */
  record Rejected(Rejection reason, @Nullable Sku sku, @Nullable StockLevel level, @Nullable Order order)
      implements MutationResult {}

  /** Why a store refused a mutation. */
  enum Rejection {
    /** A change names a SKU that is not registered. */
    UNKNOWN_SKU,
    /** A change failed the stock guard of {@link LineChange#check}. */
    INSUFFICIENT_STOCK,
    /** {@link LineChange#expectedOnHand()} did not match. */
    EXPECTED_ON_HAND_MISMATCH,
    /** {@link OrderWrite#expectedVersion()} did not match the order's version. */
    ORDER_VERSION_MISMATCH
  }
}
