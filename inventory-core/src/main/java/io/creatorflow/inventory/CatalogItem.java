package io.creatorflow.inventory;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A registered catalog item as the store holds it.
 *
 * @param version increases by one with every update of the definition (not with stock changes)
 */
public record CatalogItem(
    TenantId tenant,
    Sku sku,
    String name,
    Location location,
    @Nullable Long lowStockThreshold,
    boolean allowBackorder,
    List<ShopListing> listings,
    long version,
    Instant createdAt,
    Instant updatedAt) {

  public CatalogItem {
    listings = List.copyOf(listings);
  }

  /** Creates version 1 of an item from its definition. */
  public static CatalogItem create(ItemDefinition def, Instant at) {
    return new CatalogItem(
        def.tenant(), def.sku(), def.name(), def.location(), def.lowStockThreshold(),
        def.allowBackorder(), def.listings(), 1, at, at);
  }

  /** The next version of this item with a new definition. */
  public CatalogItem update(ItemDefinition def, Instant at) {
    return new CatalogItem(
        tenant, sku, def.name(), def.location(), def.lowStockThreshold(), def.allowBackorder(),
        def.listings(), version + 1, createdAt, at);
  }

  /** The definition this item was registered or last updated with. */
  public ItemDefinition definition() {
    return new ItemDefinition(tenant, sku, name, location, lowStockThreshold, allowBackorder, listings);
  }

  /** The item's own threshold, or {@code defaultThreshold} when it has none. */
  public long effectiveThreshold(long defaultThreshold) {
    return lowStockThreshold != null ? lowStockThreshold : defaultThreshold;
  }
}
