package io.creatorflow.inventory.examples;

import io.creatorflow.inventory.Adjustment;
import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.ConflictException;
import io.creatorflow.inventory.InvalidRequestException;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.UnknownSkuException;
import io.creatorflow.inventory.tiktok.TikTokShopApi;
import io.creatorflow.inventory.tiktok.TikTokShopApi.Product;
import io.creatorflow.inventory.tiktok.TikTokShopApi.ProductFilter;
import io.creatorflow.inventory.tiktok.TikTokShopApi.ProductSku;
import io.creatorflow.inventory.tiktok.TikTokShopClient;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a TikTok shop's SKUs that the engine does not know yet into the engine, once: each is
 * registered under its seller SKU (or {@code tiktok-<sku id>} when that cannot be a {@link Sku}) with
 * a listing for the shop SKU, and its current TikTok quantity becomes its opening stock ({@link
 * MovementType#IN}, idempotency key {@code import:tiktok:<sku id>}). A registered SKU without this
 * listing gets the listing added. SKUs already listed are left alone: after the first import the
 * engine is the source of truth, and shop numbers never overwrite it (reconciliation pushes the
 * engine's numbers to the shop instead).
 *
 * <p>Runs before sync starts, so the import itself pushes nothing. Pages through the catalog 100
 * products per request, past TikTok's 10,000-result cap.
 */
public final class CatalogImport {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogImport.class);

  /** The reason recorded on opening-stock movements. */
  public static final String REASON = "opening stock imported from TikTok Shop";

  /**
   * What an import did.
   *
   * @param shopSkus SKUs the shop listed
   * @param imported SKUs registered now
   * @param linked registered SKUs that got the shop listing now
   * @param known SKUs the engine listed already
   * @param skipped SKUs that could not be imported (logged)
   */
  public record Result(long shopSkus, long imported, long linked, long known, long skipped) {}

  private CatalogImport() {}

  /** Imports the catalog of the shop with {@code shopCipher} for {@code tenant}. */
  public static Result run(InventoryEngine engine, TenantId tenant, TikTokShopApi api, String shopCipher, String actor) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(tenant, "tenant");
    long shopSkus = 0;
    long imported = 0;
    long linked = 0;
    long known = 0;
    long skipped = 0;
    Iterator<Product> products = api.allProducts(shopCipher, ProductFilter.all()).iterator();
    while (products.hasNext()) {
      Product product = products.next();
      for (ProductSku shopSku : product.skus()) {
        shopSkus++;
        try {
          switch (importSku(engine, tenant, product, shopSku, actor)) {
            case IMPORTED -> imported++;
            case LINKED -> linked++;
            case KNOWN -> known++;
          }
        } catch (ConflictException | InvalidRequestException e) {
          skipped++;
          LOG.warn("TikTok SKU {} ({}) of product {} not imported: {}", shopSku.id(), shopSku.sellerSku(), product.id(),
              e.getMessage());
        }
      }
    }
    Result result = new Result(shopSkus, imported, linked, known, skipped);
    LOG.info("catalog import from TikTok Shop for tenant {}: {}", tenant, result);
    return result;
  }

  private enum Outcome {
    IMPORTED,
    LINKED,
    KNOWN
  }

  private static Outcome importSku(
      InventoryEngine engine, TenantId tenant, Product product, ProductSku shopSku, String actor) {
    String channel = TikTokShopClient.CHANNEL;
    if (engine.itemByListing(tenant, channel, shopSku.id()).isPresent()) {
      return Outcome.KNOWN;
    }
    ShopListing listing = ShopListing.of(channel, product.id(), shopSku.id());
    Sku sku = skuFor(shopSku);
    Optional<CatalogItem> existing = existing(engine, tenant, sku);
    if (existing.isPresent()) {
      ItemDefinition def = existing.get().definition();
      engine.updateItem(def.toBuilder().listing(listing).build());
      return Outcome.LINKED;
    }
    engine.register(ItemDefinition.builder(tenant, sku).name(name(product, shopSku)).listing(listing).build());
    long quantity = Math.max(0, shopSku.totalQuantity());
    if (quantity > 0) {
      engine.adjust(Adjustment.of(tenant, sku, quantity, REASON)
          .withType(MovementType.IN)
          .withReference("tiktok:" + product.id() + "/" + shopSku.id())
          .withActor(actor)
          .withIdempotencyKey("import:tiktok:" + shopSku.id()));
    }
    return Outcome.IMPORTED;
  }

  private static Optional<CatalogItem> existing(InventoryEngine engine, TenantId tenant, Sku sku) {
    try {
      return Optional.of(engine.item(tenant, sku));
    } catch (UnknownSkuException e) {
      return Optional.empty();
    }
  }

  /** The engine SKU for a shop SKU: its seller SKU if usable, else {@code tiktok-<sku id>}. */
  static Sku skuFor(ProductSku shopSku) {
    String seller = shopSku.sellerSku();
    if (seller != null && !seller.isBlank()) {
      try {
        return Sku.of(seller.strip());
      } catch (InvalidRequestException e) {
        LOG.debug("seller SKU '{}' cannot be an engine SKU: {}", seller, e.getMessage());
      }
    }
    return Sku.of("tiktok-" + shopSku.id());
  }

  private static String name(Product product, ProductSku shopSku) {
    String title = product.title() == null || product.title().isBlank() ? "Product " + product.id() : product.title().strip();
    String name = product.skus().size() > 1 && shopSku.sellerSku() != null ? title + " · " + shopSku.sellerSku().strip()
        : title;
    name = name.replaceAll("\\p{Cntrl}", " ");
    return name.length() > ItemDefinition.MAX_NAME_LENGTH ? name.substring(0, ItemDefinition.MAX_NAME_LENGTH) : name;
  }
}
