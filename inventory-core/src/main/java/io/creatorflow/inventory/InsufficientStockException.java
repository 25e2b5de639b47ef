package io.creatorflow.inventory;

/**
 * The change would take a SKU's available (or on-hand) quantity below zero and the SKU does not allow
 * backorders. Nothing was changed: for an order, no line was reserved. HTTP: 409.
 */
public class InsufficientStockException extends InventoryException {
  private static final long serialVersionUID = 1L;
  private final TenantId tenant;
  private final Sku sku;
  private final long requested;
  private final long available;

  public InsufficientStockException(TenantId tenant, Sku sku, long requested, long available) {
    super("insufficient stock for sku '" + sku + "' of tenant '" + tenant + "': requested " + requested
        + ", available " + available);
    this.tenant = tenant;
    this.sku = sku;
    this.requested = requested;
    this.available = available;
  }

  public TenantId tenant() {
    return tenant;
  }

  public Sku sku() {
    return sku;
  }

  /** The quantity the change needed. */
  public long requested() {
    return requested;
  }

  /** What was available when the change was refused. */
  public long available() {
    return available;
  }
}
