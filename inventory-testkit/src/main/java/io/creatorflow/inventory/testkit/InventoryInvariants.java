package io.creatorflow.inventory.testkit;

import io.creatorflow.inventory.Alert;
import io.creatorflow.inventory.AlertKind;
import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.CatalogQuery;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.ItemStock;
import io.creatorflow.inventory.LedgerReport;
import io.creatorflow.inventory.Page;
import io.creatorflow.inventory.PageRequest;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.AlertRule;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks the invariants of the design notes on a tenant's current state, through an engine's public
 * API. Meant for quiescent moments (after a test's threads have finished): the checks read SKU by
 * SKU and are not a consistent snapshot while writers run.
 *
 * <ol>
 *   <li>available &ge; 0 unless the SKU allows backorders (no oversell), now and after every ledger
 *       row that lowered it (for SKUs whose definition never changed), so that an oversell later
 *       covered up by a cancellation or a delivery is still found;
 *   <li>reserved &ge; 0 and, unless backorders are allowed, reserved &le; on hand;
 *   <li>replaying each SKU's ledger from zero gives its on hand and reserved ({@link
 *       InventoryEngine#verifyLedger});
 *   <li>at most one open alert per SKU and kind;
 *   <li>the open alerts agree with the alert policy for the current stock: {@code OUT_OF_STOCK} is
 *       open when available &le; 0 and not when available &gt; hysteresis; {@code LOW_STOCK} is open
 *       when 0 &lt; available &le; threshold and not when available &gt; threshold + hysteresis.
 *       SKUs that never changed (no movement, no update) are exempt, and with manual resolutions
 *       only the "not open" half is checked.
 * </ol>
 */
public final class InventoryInvariants {

  private InventoryInvariants() {}

  /** Every violation for the tenant, assuming no alert was resolved by hand; empty when all hold. */
  public static List<String> violations(InventoryEngine engine, TenantId tenant) {
    return violations(engine, tenant, false);
  }

  /**
   * Every violation for the tenant; empty when all hold.
   *
   * @param alertsResolvedByHand whether alerts may have been resolved by hand, in which case an
   *     alert the policy would keep open may be missing
   */
  public static List<String> violations(InventoryEngine engine, TenantId tenant, boolean alertsResolvedByHand) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(tenant, "tenant");
    List<String> problems = new ArrayList<>();
    AlertRule rule = engine.alertRule();
    Map<Sku, Map<AlertKind, List<Alert>>> open = new HashMap<>();
    for (Alert alert : engine.openAlerts(tenant)) {
      if (!alert.tenant().equals(tenant)) {
        problems.add("openAlerts(" + tenant + ") returned an alert of tenant " + alert.tenant() + ": " + alert);
        continue;
      }
      open.computeIfAbsent(alert.sku(), s -> new EnumMap<>(AlertKind.class))
          .computeIfAbsent(alert.kind(), k -> new ArrayList<>()).add(alert);
    }
    for (ItemStock row : allItems(engine, tenant)) {
      CatalogItem item = row.item();
      StockLevel level = engine.level(tenant, item.sku());
      long available = level.available();
      String sku = "sku '" + item.sku() + "'";
      if (level.reserved() < 0) {
        problems.add(sku + ": reserved is negative: " + level);
      }
      if (level.onHand() < 0) {
        problems.add(sku + ": on hand is negative: " + level);
      }
      if (!item.allowBackorder() && available < 0) {
        problems.add(sku + ": oversold, available " + available + " (on hand " + level.onHand() + ", reserved "
            + level.reserved() + ") and backorders are not allowed");
      }
      ledgerRows(engine, tenant, item, problems);
      Map<AlertKind, List<Alert>> kinds = open.getOrDefault(item.sku(), Map.of());
      for (Map.Entry<AlertKind, List<Alert>> e : kinds.entrySet()) {
        if (e.getValue().size() > 1) {
          problems.add(sku + ": " + e.getValue().size() + " open " + e.getKey() + " alerts: " + e.getValue());
        }
      }
      boolean changed = level.version() > 0 || item.version() > 1;
      if (!changed) {
        if (!kinds.isEmpty()) {
          problems.add(sku + ": alerts are open for a SKU that never changed: " + kinds);
        }
        continue;
      }
      long threshold = rule.thresholdFor(item);
      long hysteresis = rule.hysteresis();
      boolean lowOpen = kinds.containsKey(AlertKind.LOW_STOCK);
      boolean outOpen = kinds.containsKey(AlertKind.OUT_OF_STOCK);
      if (outOpen && available > hysteresis) {
        problems.add(sku + ": an OUT_OF_STOCK alert is open at available " + available + " (hysteresis " + hysteresis + ")");
      }
      if (lowOpen && available > threshold + hysteresis) {
        problems.add(sku + ": a LOW_STOCK alert is open at available " + available + " (threshold " + threshold
            + ", hysteresis " + hysteresis + ")");
      }
      if (!alertsResolvedByHand) {
        if (!outOpen && available <= 0) {
          problems.add(sku + ": no OUT_OF_STOCK alert is open at available " + available);
        }
        if (!lowOpen && available > 0 && available <= threshold) {
          problems.add(sku + ": no LOW_STOCK alert is open at available " + available + " (threshold " + threshold + ")");
        }
      }
    }
    for (Sku sku : open.keySet()) {
      if (engine.store().item(tenant, sku).isEmpty()) {
        problems.add("alerts are open for unregistered sku '" + sku + "': " + open.get(sku));
      }
    }
    LedgerReport ledger = engine.verifyLedger(tenant);
    for (LedgerReport.Discrepancy d : ledger.discrepancies()) {
      problems.add("sku '" + d.sku() + "': the ledger does not explain the balance: " + d.problem());
    }
    return problems;
  }

  /**
   * Throws if any invariant is violated.
   *
   * @throws AssertionError listing every violation
   */
  public static void assertHold(InventoryEngine engine, TenantId tenant) {
    assertHold(engine, tenant, false);
  }

  /**
   * Throws if any invariant is violated.
   *
   * @throws AssertionError listing every violation
   */
  public static void assertHold(InventoryEngine engine, TenantId tenant, boolean alertsResolvedByHand) {
    List<String> problems = violations(engine, tenant, alertsResolvedByHand);
    if (!problems.isEmpty()) {
      throw new AssertionError("inventory invariants violated for tenant " + tenant + ":\n  - "
          + String.join("\n  - ", problems));
    }
  }

  /**
   * Checks every ledger row of a SKU: no row may take reserved below zero, lower on hand below zero,
   * or (for SKUs that never allowed backorders) lower available below zero. This catches an oversell
   * that later changes covered up, which the current balance alone cannot show.
   */
  private static void ledgerRows(InventoryEngine engine, TenantId tenant, CatalogItem item, List<String> problems) {
    boolean neverBackordered = !item.allowBackorder() && item.version() == 1;
    String sku = "sku '" + item.sku() + "'";
    engine.store().forEachMovement(tenant, item.sku(), m -> {
      if (m.reservedAfter() < 0) {
        problems.add(sku + ": movement " + m.id() + " took reserved to " + m.reservedAfter() + ": " + m);
      }
      if (m.onHandAfter() < 0 && m.onHandAfter() < m.onHandBefore()) {
        problems.add(sku + ": movement " + m.id() + " took on hand to " + m.onHandAfter() + ": " + m);
      }
      if (neverBackordered && m.availableAfter() < 0 && m.availableAfter() < m.availableBefore()) {
        problems.add(sku + ": movement " + m.id() + " oversold: available went from " + m.availableBefore() + " to "
            + m.availableAfter() + " (" + m.type() + " of " + m.quantity() + ", " + m.reference() + ")");
      }
    });
  }

  /** Every catalog row of the tenant, all pages. */
  static List<ItemStock> allItems(InventoryEngine engine, TenantId tenant) {
    List<ItemStock> rows = new ArrayList<>();
    PageRequest page = PageRequest.first(PageRequest.MAX_LIMIT);
    while (true) {
      Page<ItemStock> p = engine.find(tenant, CatalogQuery.all().withPage(page));
      rows.addAll(p.items());
      if (!p.hasNext() || p.items().isEmpty()) {
        return rows;
      }
      page = page.next();
    }
  }
}
