package io.creatorflow.inventory.testkit;

import io.creatorflow.inventory.Alert;
import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.AlertEventType;
import io.creatorflow.inventory.AlertKind;
import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.CatalogQuery;
import io.creatorflow.inventory.ConflictException;
import io.creatorflow.inventory.DeliveryState;
import io.creatorflow.inventory.HistoryQuery;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.ItemStock;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.Order;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.Page;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.AlertRule;
import io.creatorflow.inventory.spi.IdempotencyClaim;
import io.creatorflow.inventory.spi.LineChange;
import io.creatorflow.inventory.spi.Mutation;
import io.creatorflow.inventory.spi.MutationResult;
import io.creatorflow.inventory.spi.OrderWrite;
import io.creatorflow.inventory.spi.StockStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A deliberately plain {@link StockStore}, written from the SPI's contract the way an integrator
 * would (one lock around everything, plain maps), with switches that plant one defect each. With no
 * defect it must pass the whole kit, which shows the kit does not depend on the reference store's
 * implementation; with a defect the kit must fail.
 */
final class SimpleStockStore implements StockStore {

  /** A defect to plant. */
  enum Defect {
    /** Decides alerts as if none were open: check-then-insert without uniqueness (seed defect 7). */
    DUPLICATE_ALERTS,
    /** Treats {@code _} and {@code %} in search text as SQL LIKE wildcards (seed defect 15). */
    LIKE_WILDCARDS,
    /** Reports the page's length as the total (seed defect 16). */
    PAGE_LENGTH_TOTAL,
    /** Writes a change without its ledger row when it releases a reservation (seed defect 4). */
    SKIPS_RELEASE_ROWS,
    /** Applies the changes of a mutation one by one, keeping those before a refused one. */
    PARTIAL_MUTATIONS
  }

  private final Set<Defect> defects;
  private final Map<TenantId, Tenant> tenants = new HashMap<>();
  private long movementIds;
  private long alertIds;

  SimpleStockStore(Defect... defects) {
    this.defects = defects.length == 0 ? EnumSet.noneOf(Defect.class) : EnumSet.of(defects[0], defects);
  }

  private static final class Tenant {
    final Map<Sku, CatalogItem> items = new TreeMap<>();
    final Map<Sku, StockLevel> levels = new HashMap<>();
    final Map<String, Sku> listings = new HashMap<>();
    final List<Movement> ledger = new ArrayList<>();
    final Map<String, MutationResult.Replayed> keys = new HashMap<>();
    final Map<String, @Nullable OrderId> keyOrders = new HashMap<>();
    final Map<OrderId, Order> orders = new HashMap<>();
    final Map<Long, Alert> alerts = new TreeMap<>();
  }

  private Tenant tenant(TenantId id) {
    return tenants.computeIfAbsent(id, t -> new Tenant());
  }

  private static String listingKey(ShopListing l) {
    return l.channel() + "\u0000" + l.skuId();
  }

  private static void checkListings(Tenant t, ItemDefinition def) {
    for (ShopListing l : def.listings()) {
      Sku owner = t.listings.get(listingKey(l));
      if (owner != null && !owner.equals(def.sku())) {
        throw new ConflictException(ConflictException.Reason.LISTING_TAKEN, "listing " + l + " belongs to " + owner);
      }
    }
  }

  @Override
  public synchronized Registration registerItem(ItemDefinition definition, Instant at) {
    Tenant t = tenant(definition.tenant());
    CatalogItem existing = t.items.get(definition.sku());
    if (existing != null) {
      return new Registration(existing, false);
    }
    checkListings(t, definition);
    CatalogItem item = CatalogItem.create(definition, at);
    t.items.put(item.sku(), item);
    t.levels.put(item.sku(), StockLevel.empty(item.tenant(), item.sku(), at));
    item.listings().forEach(l -> t.listings.put(listingKey(l), item.sku()));
    return new Registration(item, true);
  }

  @Override
  public synchronized Optional<ItemUpdate> updateItem(ItemDefinition definition, Instant at, AlertRule rule) {
    Tenant t = tenant(definition.tenant());
    CatalogItem before = t.items.get(definition.sku());
    if (before == null) {
      return Optional.empty();
    }
    checkListings(t, definition);
    CatalogItem after = before.update(definition, at);
    before.listings().forEach(l -> t.listings.remove(listingKey(l)));
    after.listings().forEach(l -> t.listings.put(listingKey(l), after.sku()));
    t.items.put(after.sku(), after);
    List<AlertEvent> events = new ArrayList<>();
    alerts(t, after, rule, at, events);
    return Optional.of(new ItemUpdate(after, events));
  }

  @Override
  public synchronized Optional<CatalogItem> item(TenantId tenant, Sku sku) {
    return Optional.ofNullable(tenant(tenant).items.get(sku));
  }

  @Override
  public synchronized Optional<CatalogItem> itemByListing(TenantId tenant, String channel, String channelSkuId) {
    Tenant t = tenant(tenant);
    Sku sku = t.listings.get(channel + "\u0000" + channelSkuId);
    return sku == null ? Optional.empty() : Optional.of(t.items.get(sku));
  }

  @Override
  public synchronized Optional<StockLevel> level(TenantId tenant, Sku sku) {
    return Optional.ofNullable(tenant(tenant).levels.get(sku));
  }

  @Override
  public synchronized Page<ItemStock> findItems(TenantId tenant, CatalogQuery query, long defaultThreshold) {
    Tenant t = tenant(tenant);
    List<ItemStock> rows = new ArrayList<>();
    for (CatalogItem item : t.items.values()) {
      StockLevel level = t.levels.get(item.sku());
      var status = level.status(item.effectiveThreshold(defaultThreshold));
      if ((query.status() == null || query.status() == status) && matches(query, item)) {
        rows.add(new ItemStock(item, level, status));
      }
    }
    Page<ItemStock> page = Page.slice(rows, query.page());
    return defects.contains(Defect.PAGE_LENGTH_TOTAL) ? new Page<>(page.items(), page.items().size(), query.page()) : page;
  }

  private boolean matches(CatalogQuery query, CatalogItem item) {
    if (!defects.contains(Defect.LIKE_WILDCARDS) || query.text() == null) {
      return query.matchesText(item);
    }
    String regex = ".*" + query.text().toLowerCase().replace("\\", "\\\\").replace(".", "\\.").replace("*", "\\*")
        .replace("%", ".*").replace("_", ".") + ".*";
    return item.name().toLowerCase().matches(regex) || item.sku().value().toLowerCase().matches(regex);
  }

  @Override
  public synchronized MutationResult apply(Mutation m) {
    Tenant t = tenant(m.tenant());
    IdempotencyClaim claim = m.idempotency();
    if (claim != null && t.keys.containsKey(claim.key())) {
      MutationResult.Replayed r = t.keys.get(claim.key());
      OrderId orderId = t.keyOrders.get(claim.key());
      return new MutationResult.Replayed(r.fingerprint(), r.movements(), orderId == null ? null : t.orders.get(orderId));
    }
    OrderWrite write = m.order();
    Order current = write == null ? null : t.orders.get(write.id());
    if (write != null && (current == null ? 0 : current.version()) != write.expectedVersion()) {
      return new MutationResult.Rejected(MutationResult.Rejection.ORDER_VERSION_MISMATCH, null, null, current);
    }
    for (LineChange c : m.changes()) {
      if (!t.items.containsKey(c.sku())) {
        return new MutationResult.Rejected(MutationResult.Rejection.UNKNOWN_SKU, c.sku(), null, null);
      }
    }
    List<Movement> movements = new ArrayList<>();
    List<AlertEvent> events = new ArrayList<>();
    if (!defects.contains(Defect.PARTIAL_MUTATIONS)) {
      for (LineChange c : m.changes()) {
        StockLevel level = t.levels.get(c.sku());
        MutationResult.Rejection r = c.check(level.onHand(), level.reserved(), t.items.get(c.sku()).allowBackorder());
        if (r != null) {
          return new MutationResult.Rejected(r, c.sku(), level, null);
        }
      }
    }
    for (LineChange c : m.changes()) {
      StockLevel before = t.levels.get(c.sku());
      MutationResult.Rejection r = c.check(before.onHand(), before.reserved(), t.items.get(c.sku()).allowBackorder());
      if (r != null) {
        return new MutationResult.Rejected(r, c.sku(), before, null);
      }
      StockLevel after = new StockLevel(m.tenant(), c.sku(), before.onHand() + c.onHandDelta(),
          before.reserved() + c.reservedDelta(), before.version() + 1, m.at());
      Movement movement = new Movement(++movementIds, m.tenant(), c.sku(), c.type(), c.quantity(), before.onHand(),
          after.onHand(), before.reserved(), after.reserved(), c.reason(), c.reference(), c.actor(),
          claim == null ? null : claim.key(), m.at());
      t.levels.put(c.sku(), after);
      if (!(defects.contains(Defect.SKIPS_RELEASE_ROWS) && c.reservedDelta() < 0 && c.onHandDelta() == 0)) {
        t.ledger.add(movement);
      }
      movements.add(movement);
      alerts(t, t.items.get(c.sku()), m.alertRule(), m.at(), events);
    }
    Order order = null;
    if (write != null) {
      order = new Order(m.tenant(), write.id(), write.status(), write.lines(), write.returned(), write.expectedVersion() + 1,
          current == null ? m.at() : current.createdAt(), m.at());
      t.orders.put(write.id(), order);
    }
    if (claim != null) {
      t.keys.put(claim.key(), new MutationResult.Replayed(claim.fingerprint(), movements, null));
      t.keyOrders.put(claim.key(), write == null ? null : write.id());
    }
    return new MutationResult.Applied(movements, events, order);
  }

  private void alerts(Tenant t, CatalogItem item, AlertRule rule, Instant at, List<AlertEvent> events) {
    long available = t.levels.get(item.sku()).available();
    Alert low = openAlert(t, item.sku(), AlertKind.LOW_STOCK);
    Alert out = openAlert(t, item.sku(), AlertKind.OUT_OF_STOCK);
    boolean blind = defects.contains(Defect.DUPLICATE_ALERTS);
    long threshold = rule.thresholdFor(item);
    AlertRule.Decision d = rule.decide(threshold, available, !blind && low != null, !blind && out != null);
    if (d.resolveLow() && low != null) {
      events.add(AlertEvent.resolved(resolve(t, low, at, Alert.SYSTEM_ACTOR)));
    }
    if (d.resolveOut() && out != null) {
      events.add(AlertEvent.resolved(resolve(t, out, at, Alert.SYSTEM_ACTOR)));
    }
    if (d.openOut()) {
      events.add(AlertEvent.opened(open(t, item, AlertKind.OUT_OF_STOCK, available, 0, at)));
    }
    if (d.openLow()) {
      events.add(AlertEvent.opened(open(t, item, AlertKind.LOW_STOCK, available, threshold, at)));
    }
  }

  private static @Nullable Alert openAlert(Tenant t, Sku sku, AlertKind kind) {
    return t.alerts.values().stream().filter(a -> a.isOpen() && a.sku().equals(sku) && a.kind() == kind).findFirst()
        .orElse(null);
  }

  private Alert open(Tenant t, CatalogItem item, AlertKind kind, long available, long threshold, Instant at) {
    Alert alert = Alert.open(++alertIds, item.tenant(), item.sku(), kind, available, threshold, at);
    t.alerts.put(alert.id(), alert);
    return alert;
  }

  private static Alert resolve(Tenant t, Alert alert, Instant at, String actor) {
    Alert resolved = alert.resolve(at, actor);
    t.alerts.put(resolved.id(), resolved);
    return resolved;
  }

  @Override
  public synchronized Optional<MutationResult.Replayed> replay(TenantId tenant, String idempotencyKey) {
    Tenant t = tenant(tenant);
    MutationResult.Replayed r = t.keys.get(idempotencyKey);
    if (r == null) {
      return Optional.empty();
    }
    OrderId orderId = t.keyOrders.get(idempotencyKey);
    return Optional.of(new MutationResult.Replayed(r.fingerprint(), r.movements(), orderId == null ? null : t.orders.get(orderId)));
  }

  @Override
  public synchronized Optional<Order> order(TenantId tenant, OrderId id) {
    return Optional.ofNullable(tenant(tenant).orders.get(id));
  }

  @Override
  public synchronized Page<Movement> history(TenantId tenant, HistoryQuery query) {
    List<Movement> rows = new ArrayList<>();
    List<Movement> ledger = tenant(tenant).ledger;
    for (int i = ledger.size() - 1; i >= 0; i--) {
      if (query.matches(ledger.get(i))) {
        rows.add(ledger.get(i));
      }
    }
    return Page.slice(rows, query.page());
  }

  @Override
  public void forEachMovement(TenantId tenant, Sku sku, Consumer<Movement> action) {
    List<Movement> rows;
    synchronized (this) {
      rows = tenant(tenant).ledger.stream().filter(m -> m.sku().equals(sku)).toList();
    }
    rows.forEach(action);
  }

  @Override
  public synchronized List<Alert> openAlerts(TenantId tenant, @Nullable Sku sku) {
    return tenant(tenant).alerts.values().stream().filter(a -> a.isOpen() && (sku == null || a.sku().equals(sku))).toList();
  }

  @Override
  public synchronized Optional<Alert> alert(TenantId tenant, long alertId) {
    return Optional.ofNullable(tenant(tenant).alerts.get(alertId));
  }

  @Override
  public synchronized Optional<AlertResolution> resolveAlert(TenantId tenant, long alertId, Instant at, String actor) {
    Tenant t = tenant(tenant);
    Alert alert = t.alerts.get(alertId);
    if (alert == null) {
      return Optional.empty();
    }
    if (!alert.isOpen()) {
      return Optional.of(new AlertResolution(alert, false));
    }
    return Optional.of(new AlertResolution(resolve(t, alert, at, actor), true));
  }

  @Override
  public synchronized boolean recordDelivery(TenantId tenant, long alertId, AlertEventType notification, DeliveryState state,
      int attempts) {
    Tenant t = tenant(tenant);
    Alert alert = t.alerts.get(alertId);
    if (alert == null || alert.notification() != notification) {
      return false;
    }
    t.alerts.put(alertId, alert.withDelivery(state, attempts));
    return true;
  }

  @Override
  public synchronized List<Alert> pendingDeliveries(Instant raisedBefore, int limit) {
    return tenants.values().stream().flatMap(t -> t.alerts.values().stream())
        .filter(a -> a.delivery() == DeliveryState.PENDING)
        .filter(a -> {
          Instant raised = a.notification() == AlertEventType.OPENED ? a.openedAt() : a.resolvedAt();
          return raised != null && !raised.isAfter(raisedBefore);
        })
        .sorted(Comparator.comparingLong(Alert::id)).limit(limit).toList();
  }

  @Override
  public void ping() {
    // always reachable
  }

  @Override
  public String toString() {
    return "SimpleStockStore" + defects;
  }
}
