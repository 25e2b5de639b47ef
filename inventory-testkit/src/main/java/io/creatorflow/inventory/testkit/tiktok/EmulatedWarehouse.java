package io.creatorflow.inventory.testkit.tiktok;

import java.util.Objects;

/**
 * A warehouse of the emulated shop.
 *
 * @param type {@code SALES_WAREHOUSE} or {@code RETURN_WAREHOUSE}
 * @param effectStatus {@code ENABLED}, {@code DISABLED} or {@code RESTRICTED}
 */
public record EmulatedWarehouse(String id, String name, String type, String effectStatus, boolean isDefault) {
  public EmulatedWarehouse {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(effectStatus, "effectStatus");
  }

  /** An enabled sales warehouse. */
  public static EmulatedWarehouse sales(String id, boolean isDefault) {
    return new EmulatedWarehouse(id, "Warehouse " + id, "SALES_WAREHOUSE", "ENABLED", isDefault);
  }
}
