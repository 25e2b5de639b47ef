package io.creatorflow.inventory;

import org.jspecify.annotations.Nullable;

/**
 * The stock store could not be reached or failed (database down, connection lost). The underlying
 * driver exception is the cause. Whether the change was applied is unknown only when the failure
 * happened during the commit itself; retrying with the same idempotency key is always safe. HTTP:
 * 503.
 */
public class StoreUnavailableException extends InventoryException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
