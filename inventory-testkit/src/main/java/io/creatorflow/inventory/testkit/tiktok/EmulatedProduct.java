package io.creatorflow.inventory.testkit.tiktok;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A product of the emulated shop.
 *
 * @param status {@code ACTIVATE} (the only status whose inventory can be updated), {@code
 *     SELLER_DEACTIVATED}, {@code DELETED}, ...
 * @param updateTime what product search filters and windows on
 */
public record EmulatedProduct(String id, String title, String status, Instant updateTime, List<EmulatedSku> skus) {
  public EmulatedProduct {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(updateTime, "updateTime");
    skus = List.copyOf(skus);
  }

  /** An {@code ACTIVATE} product. */
  public static EmulatedProduct active(String id, Instant updateTime, EmulatedSku... skus) {
    return new EmulatedProduct(id, "Product " + id, "ACTIVATE", updateTime, List.of(skus));
  }

  /** The product id of the {@code n}th generated product (n from 0): 19 digits, beyond 2^53. */
  public static String generatedProductId(int n) {
    return Long.toString(1_729_000_000_000_000_000L + n);
  }

  /** The SKU id of the {@code k}th SKU of the {@code n}th generated product. */
  public static String generatedSkuId(int n, int k) {
    return Long.toString(2_729_000_000_000_000_000L + (long) n * 1_000 + k);
  }

  /**
   * A generated catalog: {@code products} active products with {@code skusPerProduct} SKUs each, all
   * in one warehouse with {@code quantity} units, seller SKUs {@code SKU-<n>-<k>}, update times from
   * {@code firstUpdate} on, {@code spacing} apart. Ids come from {@link #generatedProductId} and
   * {@link #generatedSkuId}.
   */
  public static List<EmulatedProduct> catalog(
      int products, int skusPerProduct, String warehouseId, long quantity, Instant firstUpdate, Duration spacing) {
    List<EmulatedProduct> out = new ArrayList<>(products);
    for (int n = 0; n < products; n++) {
      List<EmulatedSku> skus = new ArrayList<>(skusPerProduct);
      for (int k = 0; k < skusPerProduct; k++) {
        skus.add(EmulatedSku.of(generatedSkuId(n, k), "SKU-" + n + "-" + k, warehouseId, quantity));
      }
      out.add(new EmulatedProduct(generatedProductId(n), "Product " + n, "ACTIVATE",
          firstUpdate.plus(spacing.multipliedBy(n)), skus));
    }
    return out;
  }
}
