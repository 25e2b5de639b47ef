package io.creatorflow.inventory;

/** No order with this id was reserved for the tenant. Nothing was changed. HTTP: 404. */
public class UnknownOrderException extends NotFoundException {
  private static final long serialVersionUID = 1L;
  private final TenantId tenant;
  private final OrderId orderId;

  public UnknownOrderException(TenantId tenant, OrderId orderId) {
    super("unknown order '" + orderId + "' for tenant '" + tenant + "': it was never reserved");
    this.tenant = tenant;
    this.orderId = orderId;
  }

  public TenantId tenant() {
    return tenant;
  }

  public OrderId orderId() {
    return orderId;
  }
}
