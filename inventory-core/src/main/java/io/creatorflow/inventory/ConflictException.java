package io.creatorflow.inventory;

/**
 * The request is well formed but contradicts the current state. Nothing was changed. HTTP: 409.
 */
public class ConflictException extends InventoryException {
  private static final long serialVersionUID = 1L;

  /** Why the request conflicts. */
  public enum Reason {
    /** A compare-and-set found a different on-hand quantity than expected. */
    EXPECTED_QUANTITY_MISMATCH,
    /** The idempotency key was used before for a different request. */
    IDEMPOTENCY_KEY_REUSED,
    /** The order is not in a state that allows the operation (e.g. fulfilling a cancelled order). */
    ORDER_STATE,
    /** More would be returned than was fulfilled. */
    RETURN_EXCEEDS_FULFILLED,
    /** The SKU is registered already with a different definition. */
    ITEM_EXISTS,
    /** A listing's shop SKU id belongs to another SKU of the tenant. */
    LISTING_TAKEN,
    /** Concurrent changes kept winning; retry later. */
    CONCURRENT_MODIFICATION
  }

  private final Reason reason;

  public ConflictException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
