package io.creatorflow.inventory.sync.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.UnknownSkuException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Catalog lookups of the hot path (shop SKU id to engine item, SKU to item) in a Caffeine cache in
 * front of the store. Bounded in size and age; absent results are cached for a shorter time; entries
 * are invalidated by the engine's own item changes ({@link #invalidate}). It caches catalog data only:
 * stock levels are always read from the store. Maintenance runs on the calling threads, time comes
 * from the injected clock. Thread-safe.
 */
public final class LookupCache {
  private final InventoryEngine engine;
  private final TenantId tenant;
  private final String channel;
  private final Cache<String, Optional<CatalogItem>> byShopSku;
  private final Cache<Sku, Optional<CatalogItem>> bySku;

  public LookupCache(
      InventoryEngine engine, TenantId tenant, String channel, long maximumSize, Duration ttl, Duration negativeTtl,
      Clock clock) {
    this.engine = engine;
    this.tenant = tenant;
    this.channel = channel;
    this.byShopSku = build(maximumSize, ttl, negativeTtl, clock);
    this.bySku = build(maximumSize, ttl, negativeTtl, clock);
  }

  private static <K> Cache<K, Optional<CatalogItem>> build(long maximumSize, Duration ttl, Duration negativeTtl, Clock clock) {
    long ttlNanos = ttl.toNanos();
    long negativeNanos = negativeTtl.toNanos();
    return Caffeine.newBuilder()
        .maximumSize(maximumSize)
        .executor(Runnable::run)
        .ticker(() -> clock.millis() * 1_000_000L)
        .expireAfter(new Expiry<K, Optional<CatalogItem>>() {
          @Override
          public long expireAfterCreate(K key, Optional<CatalogItem> value, long currentTime) {
            return value.isPresent() ? ttlNanos : negativeNanos;
          }

          @Override
          public long expireAfterUpdate(K key, Optional<CatalogItem> value, long currentTime,
              long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
          }

          @Override
          public long expireAfterRead(K key, Optional<CatalogItem> value, long currentTime,
              long currentDuration) {
            return currentDuration;
          }
        })
        .build();
  }

  /** The engine item listed on this channel under the shop's SKU id, if any. */
  public Optional<CatalogItem> byShopSku(String shopSkuId) {
    return byShopSku.get(shopSkuId, id -> engine.itemByListing(tenant, channel, id));
  }

  /** The engine item of a SKU, if registered. */
  public Optional<CatalogItem> bySku(Sku sku) {
    return bySku.get(sku, s -> {
      try {
        return Optional.of(engine.item(tenant, s));
      } catch (UnknownSkuException e) {
        return Optional.empty();
      }
    });
  }

  /**
   * Whether the cache knows, without asking the store, that a SKU is not sold on this channel
   * (unregistered, or registered without a listing here). For the engine listener, which must not
   * block.
   */
  public boolean knownUnlisted(Sku sku) {
    Optional<CatalogItem> cached = bySku.getIfPresent(sku);
    return cached != null && (cached.isEmpty() || listing(cached.get()).isEmpty());
  }

  /** The product id of the SKU's listing on this channel if the cache holds the item, without a store read. */
  public @Nullable String cachedProductId(Sku sku) {
    Optional<CatalogItem> cached = bySku.getIfPresent(sku);
    return cached == null ? null : cached.flatMap(this::listing).map(ShopListing::productId).orElse(null);
  }

  /** This channel's listing of an item, if it has one. */
  public Optional<ShopListing> listing(CatalogItem item) {
    for (ShopListing l : item.listings()) {
      if (l.channel().equals(channel)) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }

  /**
   * Forgets everything cached about an item: its SKU entry, and the shop SKU ids it is listed under
   * now and was listed under in the cached copy (a listing that moved to another SKU).
   */
  public void invalidate(CatalogItem item) {
    Optional<CatalogItem> old = bySku.getIfPresent(item.sku());
    bySku.invalidate(item.sku());
    forgetListings(item);
    if (old != null && old.isPresent()) {
      forgetListings(old.get());
    }
  }

  private void forgetListings(CatalogItem item) {
    for (ShopListing l : item.listings()) {
      if (l.channel().equals(channel)) {
        byShopSku.invalidate(l.skuId());
      }
    }
  }

  /** Forgets a shop SKU id (after the store said its cached mapping is wrong). */
  public void invalidateShopSku(String shopSkuId) {
    byShopSku.invalidate(shopSkuId);
  }

  public void invalidateAll() {
    byShopSku.invalidateAll();
    bySku.invalidateAll();
  }

  /** Entries cached now (approximate), for tests and stats. */
  public long size() {
    byShopSku.cleanUp();
    bySku.cleanUp();
    return byShopSku.estimatedSize() + bySku.estimatedSize();
  }
}
