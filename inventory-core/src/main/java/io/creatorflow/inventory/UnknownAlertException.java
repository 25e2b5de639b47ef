package io.creatorflow.inventory;

/** No alert with this id exists for the tenant. Nothing was changed. HTTP: 404. */
public class UnknownAlertException extends NotFoundException {
  private static final long serialVersionUID = 1L;
  private final TenantId tenant;
  private final long alertId;

  public UnknownAlertException(TenantId tenant, long alertId) {
    super("unknown alert " + alertId + " for tenant '" + tenant + "'");
    this.tenant = tenant;
    this.alertId = alertId;
  }

  public TenantId tenant() {
    return tenant;
  }

  public long alertId() {
    return alertId;
  }
}
