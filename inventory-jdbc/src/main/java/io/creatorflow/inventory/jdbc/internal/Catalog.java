package io.creatorflow.inventory.jdbc.internal;

import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.CatalogQuery;
import io.creatorflow.inventory.ConflictException;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.ItemStock;
import io.creatorflow.inventory.Page;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.StockStatus;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.AlertRule;
import io.creatorflow.inventory.spi.StockStore.ItemUpdate;
import io.creatorflow.inventory.spi.StockStore.Registration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.Query;
import org.jspecify.annotations.Nullable;

/**
 * Catalog items and their listings: registration, updates, reads and search. With a {@link
 * CatalogIndex}, every registration and update is reported to it after its commit, and searches go
 * to it. Thread-safe.
 */
public final class Catalog {
  private final Db db;
  private final AlertWriter alerts;
  private final @Nullable CatalogIndex index;

  public Catalog(Db db, MutationWriter writer, @Nullable CatalogIndex index) {
    this.db = db;
    this.alerts = writer.alerts();
    this.index = index;
  }

  public Registration register(ItemDefinition d, Instant at) {
    Registration registration = write(d.tenant(), () -> insert(d, at));
    if (index != null && registration.created()) {
      index.itemCommitted(registration.item(), StockLevel.empty(d.tenant(), d.sku(), at));
    }
    return registration;
  }

  /**
   * Runs a catalog write of the tenant. If its COMMIT failed, whether it applied is unknown: the index
   * then verifies the tenant against the database before it answers again.
   */
  private <T> T write(TenantId tenant, Supplier<T> write) {
    try {
      return write.get();
    } catch (CommitFailedException e) {
      if (index != null) {
        index.invalidate(tenant);
      }
      throw e;
    }
  }

  private Registration insert(ItemDefinition d, Instant at) {
    return db.transaction("register an item", tx -> {
      Handle h = tx.handle();
      boolean created = db.insertIfAbsent(h, db.sql().insertItem(), 1, insert -> insert
          .bind("tenant", d.tenant().value())
          .bind("sku", d.sku().value())
          .bind("name", d.name())
          .bind("nameSearch", Codec.searchForm(d.name()))
          .bind("skuSearch", Codec.searchForm(d.sku().value()))
          .bind("location", d.location().value())
          .bind("threshold", d.lowStockThreshold())
          .bind("allowBackorder", d.allowBackorder())
          .bind("at", Codec.nanos(at)));
      if (!created) {
        tx.rollbackOnly();
        return new Registration(item(h, d.tenant(), d.sku()).orElseThrow(
            () -> new IllegalStateException("sku '" + d.sku() + "' exists and does not")), false);
      }
      writeListings(h, d);
      return new Registration(CatalogItem.create(d, at), true);
    });
  }

  public Optional<ItemUpdate> update(ItemDefinition d, Instant at, AlertRule rule) {
    Optional<Updated> updated = write(d.tenant(), () -> updateInTransaction(d, at, rule));
    if (index != null && updated.isPresent()) {
      index.itemCommitted(updated.get().update().item(), updated.get().level());
    }
    return updated.map(Updated::update);
  }

  /** An update and the stock row of the item as its transaction left it. */
  private record Updated(ItemUpdate update, StockLevel level) {}

  private Optional<Updated> updateInTransaction(ItemDefinition d, Instant at, AlertRule rule) {
    return db.transaction("update an item", tx -> {
      Handle h = tx.handle();
      Optional<Rows.ItemRow> row = updateRow(h, d, at);
      if (row.isEmpty()) {
        tx.rollbackOnly();
        return Optional.empty();
      }
      h.createUpdate(db.sql().deleteListings())
          .bind("tenant", d.tenant().value())
          .bind("sku", d.sku().value())
          .execute();
      writeListings(h, d);
      Rows.ItemRow updated = row.get();
      CatalogItem item = updated.item(d.listings());
      AlertWriter.OpenAlerts open = new AlertWriter.OpenAlerts(updated.lowAlertId(), updated.outAlertId());
      List<AlertEvent> events = new ArrayList<>(0);
      alerts.apply(h, d.tenant(), d.sku(), open, rule, rule.thresholdFor(item), updated.level().available(), at,
          events);
      alerts.saveOpenAlerts(h, d.tenant(), d.sku(), open);
      return Optional.of(new Updated(new ItemUpdate(item, events), updated.level()));
    });
  }

  /** Updates the item row (locking it) and returns it, or empty if the SKU is not registered. */
  private Optional<Rows.ItemRow> updateRow(Handle h, ItemDefinition d, Instant at) {
    Statements sql = db.sql();
    if (sql.updateReturns()) {
      return bindUpdate(h.createQuery(sql.updateItem()), d, at).map(Rows.ITEM).findOne();
    }
    if (bindUpdate(h.createUpdate(sql.updateItem()), d, at).execute() == 0) {
      return Optional.empty();
    }
    return h.createQuery(sql.itemRow())
        .bind("tenant", d.tenant().value())
        .bind("sku", d.sku().value())
        .map(Rows.ITEM)
        .findOne();
  }

  private static <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bindUpdate(
      S statement, ItemDefinition d, Instant at) {
    return statement
        .bind("name", d.name())
        .bind("nameSearch", Codec.searchForm(d.name()))
        .bind("location", d.location().value())
        .bind("threshold", d.lowStockThreshold())
        .bind("allowBackorder", d.allowBackorder())
        .bind("at", Codec.nanos(at))
        .bind("tenant", d.tenant().value())
        .bind("sku", d.sku().value());
  }

  /**
   * Inserts the definition's listings after checking that none belongs to another SKU of the
   * tenant; the primary key catches a concurrent claim of the same listing.
   *
   * @throws ConflictException {@code LISTING_TAKEN}
   */
  private void writeListings(Handle h, ItemDefinition d) {
    List<ShopListing> listings = d.listings();
    if (listings.isEmpty()) {
      return;
    }
    Statements sql = db.sql();
    Query owners = h.createQuery(sql.listingOwners(listings.size())).bind(0, d.tenant().value());
    int p = 1;
    for (ShopListing listing : listings) {
      owners.bind(p++, listing.channel()).bind(p++, listing.skuId());
    }
    Map<List<String>, String> ownerOf = new HashMap<>();
    owners.map((rs, ctx) -> List.of(rs.getString("channel"), rs.getString("channel_sku_id"), rs.getString("sku")))
        .forEach(row -> ownerOf.put(List.of(row.get(0), row.get(1)), row.get(2)));
    for (ShopListing listing : listings) {
      String owner = ownerOf.get(List.of(listing.channel(), listing.skuId()));
      if (owner != null && !owner.equals(d.sku().value())) {
        throw listingTaken(listing, owner);
      }
    }
    var insert = h.createUpdate(sql.insertListings(listings.size()));
    p = 0;
    for (int i = 0; i < listings.size(); i++) {
      ShopListing listing = listings.get(i);
      insert.bind(p++, d.tenant().value())
          .bind(p++, listing.channel())
          .bind(p++, listing.skuId())
          .bind(p++, d.sku().value())
          .bind(p++, listing.productId())
          .bind(p++, i);
    }
    try {
      insert.execute();
    } catch (JdbiException e) {
      if (SqlErrors.isUniqueViolation(e)) {
        ConflictException conflict = new ConflictException(ConflictException.Reason.LISTING_TAKEN,
            "a listing of sku '" + d.sku() + "' was taken by another sku of tenant '" + d.tenant()
                + "' at the same time");
        conflict.initCause(e);
        throw conflict;
      }
      throw e;
    }
  }

  private static ConflictException listingTaken(ShopListing listing, String owner) {
    return new ConflictException(ConflictException.Reason.LISTING_TAKEN,
        "listing '" + listing.channel() + "' sku id '" + listing.skuId() + "' belongs to sku '" + owner + "'");
  }

  // ------------------------------------------------------------------------------- reads

  public Optional<CatalogItem> item(TenantId tenant, Sku sku) {
    return db.withHandle("read an item", h -> item(h, tenant, sku));
  }

  Optional<CatalogItem> item(Handle h, TenantId tenant, Sku sku) {
    record Joined(Rows.ItemRow row, @Nullable ShopListing listing) {}
    List<Joined> rows = h.createQuery(db.sql().itemWithListings())
        .bind("tenant", tenant.value())
        .bind("sku", sku.value())
        .map((rs, ctx) -> {
          String channel = rs.getString("l_channel");
          ShopListing listing = channel == null ? null
              : new ShopListing(channel, rs.getString("l_product_id"), rs.getString("l_channel_sku_id"));
          return new Joined(Rows.ITEM.map(rs, ctx), listing);
        })
        .list();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    List<ShopListing> listings = rows.stream().map(Joined::listing).filter(l -> l != null).toList();
    return Optional.of(rows.get(0).row().item(listings));
  }

  public Optional<CatalogItem> itemByListing(TenantId tenant, String channel, String channelSkuId) {
    return db.withHandle("read an item by listing", h -> {
      Optional<String> sku = h.createQuery(db.sql().listingOwner())
          .bind("tenant", tenant.value())
          .bind("channel", channel)
          .bind("channelSkuId", channelSkuId)
          .mapTo(String.class)
          .findOne();
      return sku.isEmpty() ? Optional.<CatalogItem>empty() : item(h, tenant, Sku.of(sku.get()));
    });
  }

  public Optional<StockLevel> level(TenantId tenant, Sku sku) {
    return db.withHandle("read a stock level", h -> h.createQuery(db.sql().itemRow())
        .bind("tenant", tenant.value())
        .bind("sku", sku.value())
        .map(Rows.ITEM)
        .findOne()
        .map(Rows.ItemRow::level));
  }

  /** One page of a catalog search, sorted by SKU, with the true total: one query, two if the page has items. */
  public Page<ItemStock> find(TenantId tenant, CatalogQuery query, long defaultThreshold) {
    if (index != null) {
      Page<ItemStock> page = index.find(tenant, query, defaultThreshold);
      if (page != null) {
        return page;
      }
    }
    return findInDatabase(tenant, query, defaultThreshold);
  }

  /** {@link #find} in SQL, without the index. */
  public Page<ItemStock> findInDatabase(TenantId tenant, CatalogQuery query, long defaultThreshold) {
    String text = query.text();
    StockStatus status = query.status();
    return db.withHandle("search the catalog", h -> {
      record Counted(Rows.ItemRow row, long total) {}
      Query select = bindFilter(h.createQuery(db.sql().findItems(text != null, status, false)), tenant, text, status,
          defaultThreshold);
      int next = 1 + (text != null ? 2 : 0) + (status == null || status == StockStatus.OUT_OF_STOCK ? 0 : 1);
      List<Counted> rows = select
          .bind(next, query.page().limit())
          .bind(next + 1, query.page().offset())
          .map((rs, ctx) -> new Counted(Rows.ITEM.map(rs, ctx), rs.getLong("total_count")))
          .list();
      long total;
      if (!rows.isEmpty()) {
        total = rows.get(0).total();
      } else if (query.page().offset() == 0) {
        total = 0;
      } else {
        total = bindFilter(h.createQuery(db.sql().findItems(text != null, status, true)), tenant, text, status,
            defaultThreshold).mapTo(Long.class).one();
      }
      Map<String, List<ShopListing>> listings = listingsOf(h, tenant, rows.stream().map(c -> c.row().sku()).toList());
      List<ItemStock> items = new ArrayList<>(rows.size());
      for (Counted counted : rows) {
        CatalogItem item = counted.row().item(listings.getOrDefault(counted.row().sku().value(), List.of()));
        StockLevel level = counted.row().level();
        items.add(new ItemStock(item, level, level.status(item.effectiveThreshold(defaultThreshold))));
      }
      return new Page<>(items, total, query.page());
    });
  }

  private static Query bindFilter(Query query, TenantId tenant, @Nullable String text, @Nullable StockStatus status,
      long defaultThreshold) {
    int p = 0;
    query.bind(p++, tenant.value());
    if (text != null) {
      String pattern = Codec.containsPattern(text);
      query.bind(p++, pattern).bind(p++, pattern);
    }
    if (status == StockStatus.LOW_STOCK || status == StockStatus.IN_STOCK) {
      query.bind(p, defaultThreshold);
    }
    return query;
  }

  private Map<String, List<ShopListing>> listingsOf(Handle h, TenantId tenant, List<Sku> skus) {
    Map<String, List<ShopListing>> bySku = new HashMap<>();
    if (skus.isEmpty()) {
      return bySku;
    }
    Query query = h.createQuery(db.sql().listingsOf(skus.size())).bind(0, tenant.value());
    for (int i = 0; i < skus.size(); i++) {
      query.bind(i + 1, skus.get(i).value());
    }
    query.map((rs, ctx) -> List.of(rs.getString("sku"), rs.getString("channel"), rs.getString("product_id"),
            rs.getString("channel_sku_id")))
        .forEach(row -> bySku.computeIfAbsent(row.get(0), k -> new ArrayList<>())
            .add(new ShopListing(row.get(1), row.get(2), row.get(3))));
    return bySku;
  }
}
