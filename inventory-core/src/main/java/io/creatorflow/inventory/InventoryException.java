package io.creatorflow.inventory;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception the SDK throws. Unchecked; subclasses mark what a caller handles
 * differently. Messages never contain secrets.
 */
public class InventoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InventoryException(String message) {
    super(message);
  }

  public InventoryException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
