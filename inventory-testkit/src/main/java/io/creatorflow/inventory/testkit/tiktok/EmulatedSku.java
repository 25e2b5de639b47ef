package io.creatorflow.inventory.testkit.tiktok;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A SKU of an emulated product with its available quantity per warehouse (in order).
 *
 * @param quantities warehouse id to available units; a SKU may be stocked in several warehouses
 */
public record EmulatedSku(String id, String sellerSku, Map<String, Long> quantities) {
  public EmulatedSku {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(sellerSku, "sellerSku");
    quantities = Collections.unmodifiableMap(new LinkedHashMap<>(quantities));
  }

  /** A SKU stocked in one warehouse. */
  public static EmulatedSku of(String id, String sellerSku, String warehouseId, long quantity) {
    return new EmulatedSku(id, sellerSku, Map.of(warehouseId, quantity));
  }
}
