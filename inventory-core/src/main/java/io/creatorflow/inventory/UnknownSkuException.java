package io.creatorflow.inventory;

/** The SKU is not registered for the tenant. Nothing was changed. An HTTP layer answers 404. */
public class UnknownSkuException extends NotFoundException {
  private static final long serialVersionUID = 1L;
  private final TenantId tenant;
  private final Sku sku;

  public UnknownSkuException(TenantId tenant, Sku sku) {
    super("unknown sku '" + sku + "' for tenant '" + tenant + "': register it first");
    this.tenant = tenant;
    this.sku = sku;
  }

  public TenantId tenant() {
    return tenant;
  }

  public Sku sku() {
    return sku;
  }
}
