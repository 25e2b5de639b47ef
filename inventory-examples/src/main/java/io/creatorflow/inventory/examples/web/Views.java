package io.creatorflow.inventory.examples.web;

import io.creatorflow.inventory.Alert;
import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.HealthReport;
import io.creatorflow.inventory.ItemStock;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.Page;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.StockStatus;
import io.creatorflow.inventory.sync.ReconcileResult;
import io.creatorflow.inventory.sync.SyncStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The JSON shapes of the REST API (snake_case keys, lowercase enum values, ISO-8601 instants). */
final class Views {
  private Views() {}

  static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  static @Nullable String time(@Nullable Instant t) {
    return t == null ? null : t.toString();
  }

  static Map<String, @Nullable Object> product(ItemStock row, long defaultThreshold) {
    return product(row.item(), row.level(), row.status(), defaultThreshold);
  }

  static Map<String, @Nullable Object> product(
      CatalogItem item, StockLevel level, StockStatus status, long defaultThreshold) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("sku", item.sku().value());
    m.put("name", item.name());
    m.put("on_hand", level.onHand());
    m.put("reserved", level.reserved());
    m.put("available", level.available());
    m.put("status", lower(status));
    m.put("low_stock_threshold", item.effectiveThreshold(defaultThreshold));
    m.put("own_threshold", item.lowStockThreshold() != null);
    m.put("location", item.location().value());
    m.put("allow_backorder", item.allowBackorder());
    List<Map<String, Object>> listings = new ArrayList<>();
    for (ShopListing l : item.listings()) {
      listings.add(Map.of("channel", l.channel(), "product_id", l.productId(), "sku_id", l.skuId()));
    }
    m.put("listings", listings);
    m.put("stock_version", level.version());
    m.put("updated_at", time(level.updatedAt()));
    return m;
  }

  static Map<String, @Nullable Object> movement(Movement mv) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("id", mv.id());
    m.put("sku", mv.sku().value());
    m.put("type", lower(mv.type()));
    m.put("quantity", mv.quantity());
    m.put("on_hand_before", mv.onHandBefore());
    m.put("on_hand_after", mv.onHandAfter());
    m.put("reserved_before", mv.reservedBefore());
    m.put("reserved_after", mv.reservedAfter());
    m.put("available_after", mv.availableAfter());
    m.put("reason", mv.reason());
    m.put("reference", mv.reference());
    m.put("actor", mv.actor());
    m.put("occurred_at", time(mv.occurredAt()));
    return m;
  }

  static Map<String, @Nullable Object> alert(Alert a) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("id", a.id());
    m.put("sku", a.sku().value());
    m.put("kind", lower(a.kind()));
    m.put("status", lower(a.status()));
    m.put("available_at_open", a.availableAtOpen());
    m.put("threshold", a.threshold());
    m.put("opened_at", time(a.openedAt()));
    m.put("resolved_at", time(a.resolvedAt()));
    m.put("resolved_by", a.resolvedBy());
    m.put("notification", lower(a.notification()));
    m.put("delivery", lower(a.delivery()));
    m.put("delivery_attempts", a.deliveryAttempts());
    return m;
  }

  static Map<String, Object> pagination(Page<?> page, int pageNumber, int limit) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("page", pageNumber);
    m.put("limit", limit);
    m.put("total", page.total());
    m.put("pages", (page.total() + limit - 1) / limit);
    return m;
  }

  static Map<String, @Nullable Object> health(HealthReport report) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("status", lower(report.status()));
    m.put("checked_at", time(report.checkedAt()));
    Map<String, Object> components = new LinkedHashMap<>();
    report.components().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      Map<String, @Nullable Object> c = new LinkedHashMap<>();
      c.put("status", lower(e.getValue().status()));
      c.put("detail", e.getValue().detail());
      components.put(e.getKey(), c);
    });
    m.put("components", components);
    return m;
  }

  static Map<String, @Nullable Object> sync(SyncStats s) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("queue_depth", s.queueDepth());
    m.put("in_flight", s.inFlight());
    m.put("oldest_pending_since", time(s.oldestPendingSince()));
    m.put("pushes_accepted", s.pushesAccepted());
    m.put("push_attempts_failed", s.pushAttemptsFailed());
    m.put("pushes_failed", s.pushesFailed());
    m.put("pushes_skipped", s.pushesSkipped());
    m.put("shop_last_success", time(s.shopLastSuccess()));
    m.put("shop_last_error", s.shopLastError());
    m.put("shop_last_error_at", time(s.shopLastErrorAt()));
    m.put("shop_consecutive_failures", s.shopConsecutiveFailures());
    m.put("reconcile_runs", s.reconcile().runs());
    m.put("order_poll_runs", s.orderPoll().runs());
    ReconcileResult last = s.lastReconcile();
    if (last == null) {
      m.put("last_reconcile", null);
    } else {
      Map<String, @Nullable Object> r = new LinkedHashMap<>();
      r.put("finished_at", time(last.finishedAt()));
      r.put("complete", last.complete());
      r.put("drifts", last.drifts().size());
      r.put("failures", last.failures().size());
      m.put("last_reconcile", r);
    }
    Map<String, Long> orders = new LinkedHashMap<>();
    s.orders().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> orders.put(lower(e.getKey()), e.getValue()));
    m.put("orders", orders);
    Map<String, Long> webhooks = new LinkedHashMap<>();
    s.webhooks().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> webhooks.put(lower(e.getKey()), e.getValue()));
    m.put("webhooks", webhooks);
    return m;
  }
}
