package io.creatorflow.inventory.examples;

import io.creatorflow.inventory.testkit.tiktok.EmulatedProduct;
import io.creatorflow.inventory.testkit.tiktok.EmulatedSku;
import io.creatorflow.inventory.testkit.tiktok.TikTokShopEmulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The demo catalog the service puts into the TikTok Shop emulator: a creator's merchandise, a few
 * hundred SKUs in three variants per product, with deterministic quantities (seed 42), a couple of
 * SKUs low on stock and one sold out, and the viral product of the flash sale. The service then
 * imports it through the TikTok API like any real shop's catalog ({@link CatalogImport}).
 */
public final class DemoCatalog {
  /** The seller SKU of the flash sale's viral product (a single-SKU product). */
  public static final String VIRAL_SKU = "LIP-OIL-ROSE";
  /** The viral product's opening stock. */
  public static final long VIRAL_STOCK = 60;
  /** Seller SKUs that open low on stock (below the default threshold of 10). */
  public static final List<String> LOW_SKUS = List.of("HOODIE-1-M", "TOTE-1-NATURAL");
  /** A seller SKU that opens sold out. */
  public static final String SOLD_OUT_SKU = "CAP-1-BLACK";

  private static final String[][] PRODUCTS = {
      {"HOODIE", "Creator hoodie", "S", "M", "L"},
      {"TOTE", "Canvas tote bag", "NATURAL", "BLACK", "SAGE"},
      {"CAP", "Embroidered cap", "BLACK", "CREAM", "NAVY"},
      {"TEE", "Logo tee", "S", "M", "L"},
      {"MUG", "Ceramic mug", "WHITE", "BLACK", "PINK"},
      {"SERUM", "Glow serum", "15ML", "30ML", "50ML"},
      {"BALM", "Lip balm", "CHERRY", "MINT", "VANILLA"},
      {"CANDLE", "Soy candle", "FIG", "CEDAR", "AMBER"},
      {"SOCKS", "Crew socks", "S", "M", "L"},
      {"PHONE", "Phone case", "IP14", "IP15", "PIXEL8"},
      {"STICKER", "Sticker pack", "HOLO", "MATTE", "GLITTER"},
      {"BOTTLE", "Steel bottle", "500ML", "750ML", "1L"},
      {"PALETTE", "Eyeshadow palette", "NUDE", "SUNSET", "ICE"},
      {"SCRUNCHIE", "Silk scrunchie", "BLUSH", "BLACK", "CHAMPAGNE"},
      {"JOURNAL", "Dot journal", "A5", "B5", "POCKET"},
      {"BEANIE", "Rib beanie", "GREY", "RUST", "BLACK"},
      {"PRINT", "Art print", "A4", "A3", "A2"},
      {"RING", "Stacking ring", "5", "6", "7"},
      {"PUZZLE", "Puzzle 1000", "CITY", "FOREST", "OCEAN"},
      {"BRUSH", "Brush set", "5PC", "10PC", "TRAVEL"},
  };

  private DemoCatalog() {}

  /**
   * Products with {@code skus} SKUs in total (the viral product's one included), stocked in {@code
   * warehouseId}, updated one second apart before {@code now}.
   */
  public static List<EmulatedProduct> products(int skus, String warehouseId, Instant now) {
    if (skus < 10) {
      throw new IllegalArgumentException("the demo catalog needs at least 10 SKUs, was " + skus);
    }
    Random random = new Random(42);
    Instant first = now.minus(Duration.ofDays(1));
    List<EmulatedProduct> out = new ArrayList<>();
    out.add(new EmulatedProduct(EmulatedProduct.generatedProductId(0), "Viral lip oil, rose", "ACTIVATE", first,
        List.of(EmulatedSku.of(EmulatedProduct.generatedSkuId(0, 0), VIRAL_SKU, warehouseId, VIRAL_STOCK))));
    int left = skus - 1;
    for (int n = 1; left > 0; n++) {
      String[] p = PRODUCTS[(n - 1) % PRODUCTS.length];
      int edition = (n - 1) / PRODUCTS.length + 1;
      List<EmulatedSku> list = new ArrayList<>();
      for (int k = 0; k < 3 && left > 0; k++, left--) {
        String sellerSku = p[0] + "-" + edition + "-" + p[2 + k];
        long quantity = 20 + random.nextInt(181);
        if (LOW_SKUS.get(0).equals(sellerSku)) {
          quantity = 3;
        } else if (LOW_SKUS.get(1).equals(sellerSku)) {
          quantity = 7;
        } else if (SOLD_OUT_SKU.equals(sellerSku)) {
          quantity = 0;
        }
        list.add(EmulatedSku.of(EmulatedProduct.generatedSkuId(n, k), sellerSku, warehouseId, quantity));
      }
      String title = p[1] + (edition > 1 ? " (edition " + edition + ")" : "");
      out.add(new EmulatedProduct(EmulatedProduct.generatedProductId(n), title, "ACTIVATE",
          first.plusSeconds(n), list));
    }
    return out;
  }

  /** Adds the demo catalog to an emulator. */
  public static void seed(TikTokShopEmulator shop, int skus, Instant now) {
    shop.addProducts(products(skus, shop.defaultWarehouseId(), now));
  }
}
