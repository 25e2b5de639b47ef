package io.creatorflow.inventory;

import io.creatorflow.inventory.internal.Checks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a caller says about a catalog item when registering or updating it. Quantities are never part
 * of a definition: they change only through movements.
 *
 * @param tenant the owning tenant
 * @param sku the SKU
 * @param name display name, 1 to 200 characters
 * @param location where the stock sits
 * @param lowStockThreshold the SKU's low-stock threshold, or {@code null} to use the engine default
 * @param allowBackorder whether reservations may take available stock below zero
 * @param listings where the SKU is sold; at most one listing per channel and channel SKU id
 */
public record ItemDefinition(
    TenantId tenant,
    Sku sku,
    String name,
    Location location,
    @Nullable Long lowStockThreshold,
    boolean allowBackorder,
    List<ShopListing> listings) {

  public static final int MAX_NAME_LENGTH = 200;
  public static final int MAX_LISTINGS = 16;

  public ItemDefinition {
    Checks.notNull(tenant, "tenant");
    Checks.notNull(sku, "sku");
    Checks.requiredText(name, "name", MAX_NAME_LENGTH);
    Checks.notNull(location, "location");
    if (lowStockThreshold != null) {
      Checks.nonNegativeQuantity(lowStockThreshold, "lowStockThreshold");
    }
    Checks.notNull(listings, "listings");
    if (listings.size() > MAX_LISTINGS) {
      throw new InvalidRequestException(
          "an item may have at most " + MAX_LISTINGS + " listings, was " + listings.size());
    }
    Set<String> seen = new HashSet<>();
    for (ShopListing listing : listings) {
      Checks.notNull(listing, "listing");
      if (!seen.add(listing.channel() + '\u0000' + listing.skuId())) {
        throw new InvalidRequestException(
            "duplicate listing for channel '" + listing.channel() + "' and sku id '" + listing.skuId() + "'");
      }
    }
    listings = List.copyOf(listings);
  }

  /** Starts a definition with the default location, the engine's default threshold and no listings. */
  public static Builder builder(TenantId tenant, Sku sku) {
    return new Builder(tenant, sku);
  }

  /** A builder initialised from this definition, for updates. */
  public Builder toBuilder() {
    Builder b = new Builder(tenant, sku).name(name).location(location).allowBackorder(allowBackorder);
    b.lowStockThreshold = lowStockThreshold;
    b.listings.addAll(listings);
    return b;
  }

  /** Mutable builder; not thread-safe. */
  public static final class Builder {
    private final TenantId tenant;
    private final Sku sku;
    private @Nullable String name;
    private Location location = Location.DEFAULT;
    private @Nullable Long lowStockThreshold;
    private boolean allowBackorder;
    private final List<ShopListing> listings = new ArrayList<>();

    private Builder(TenantId tenant, Sku sku) {
      this.tenant = Objects.requireNonNull(tenant, "tenant");
      this.sku = Objects.requireNonNull(sku, "sku");
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder location(Location location) {
      this.location = Objects.requireNonNull(location, "location");
      return this;
    }

    /** Sets the SKU's own threshold; {@code null} falls back to the engine default. */
    public Builder lowStockThreshold(@Nullable Long threshold) {
      this.lowStockThreshold = threshold;
      return this;
    }

    public Builder lowStockThreshold(long threshold) {
      return lowStockThreshold(Long.valueOf(threshold));
    }

    public Builder allowBackorder(boolean allowBackorder) {
      this.allowBackorder = allowBackorder;
      return this;
    }

    public Builder listing(ShopListing listing) {
      listings.add(Objects.requireNonNull(listing, "listing"));
      return this;
    }

    public Builder listings(List<ShopListing> listings) {
      this.listings.clear();
      this.listings.addAll(listings);
      return this;
    }

    /**
     * @throws InvalidRequestException if the name is missing or a value is out of range
     */
    public ItemDefinition build() {
      return new ItemDefinition(
          tenant, sku, name == null ? sku.value() : name, location, lowStockThreshold, allowBackorder, listings);
    }
  }
}
