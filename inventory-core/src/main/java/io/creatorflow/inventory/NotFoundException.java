package io.creatorflow.inventory;

/** Something the request names does not exist for the tenant. Nothing was changed. HTTP: 404. */
public abstract class NotFoundException extends InventoryException {
  private static final long serialVersionUID = 1L;

  protected NotFoundException(String message) {
    super(message);
  }
}
