package io.creatorflow.inventory;

/**
 * A request was malformed or out of range (a missing reason, a zero quantity, a bad identifier). The
 * message names the bad value. Nothing was changed. An HTTP layer answers 400.
 */
public class InvalidRequestException extends InventoryException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String message) {
    super(message);
  }
}
