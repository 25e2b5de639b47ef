package io.creatorflow.inventory.memory;

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
import io.creatorflow.inventory.PageRequest;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.AlertRule;
import io.creatorflow.inventory.spi.EventInbox;
import io.creatorflow.inventory.spi.IdempotencyClaim;
import io.creatorflow.inventory.spi.LeaseStore;
import io.creatorflow.inventory.spi.LineChange;
import io.creatorflow.inventory.spi.Mutation;
import io.creatorflow.inventory.spi.MutationResult;
import io.creatorflow.inventory.spi.OrderWrite;
import io.creatorflow.inventory.spi.StockStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A {@link StockStore} (with {@link EventInbox} and {@link LeaseStore}) that keeps everything in
 * the JVM's memory: the embedded default, for tests, demos and single-instance services that rebuild
 * their state elsewhere. Nothing survives a restart.
 *
 * <p>Thread-safe with fine-grained locking: one lock per SKU, plus one lock stripe per idempotency
 * key and per order id. A mutation takes its key stripe, then its order stripe, then its SKUs' locks
 * in SKU order, so concurrent mutations never deadlock and mutations of different SKUs never wait
 * for each other. Reads of single values are lock-free.
 */
public final class InMemoryStockStore implements StockStore, EventInbox, LeaseStore {
  private static final int STRIPES = 1024;

  private final ConcurrentHashMap<TenantId, TenantData> tenants = new ConcurrentHashMap<>();
  private final AtomicLong movementIds = new AtomicLong();
  private final AtomicLong alertIds = new AtomicLong();
  private final ReentrantLock[] keyStripes = newStripes();
  private final ReentrantLock[] orderStripes = newStripes();
  private final ConcurrentHashMap<String, InboxEntry> inbox = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Lease> leases = new ConcurrentHashMap<>();

  /** Creates an empty store. */
  public InMemoryStockStore() {}

  private static ReentrantLock[] newStripes() {
    ReentrantLock[] locks = new ReentrantLock[STRIPES];
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
    return locks;
  }

  private static ReentrantLock stripe(ReentrantLock[] stripes, TenantId tenant, String key) {
    int h = tenant.hashCode() * 31 + key.hashCode();
    h ^= h >>> 16;
    return stripes[h & (STRIPES - 1)];
  }

  private TenantData tenant(TenantId tenant) {
    return tenants.computeIfAbsent(tenant, t -> new TenantData());
  }

  // ---------------------------------------------------------------- catalog

  @Override
  public Registration registerItem(ItemDefinition definition, Instant at) {
    TenantData data = tenant(definition.tenant());
    synchronized (data.catalogLock) {
      Entry existing = data.entries.get(definition.sku());
      if (existing != null) {
        return new Registration(existing.item, false);
      }
      checkListings(data, definition);
      Entry entry = new Entry(CatalogItem.create(definition, at), StockLevel.empty(definition.tenant(), definition.sku(), at));
      indexListings(data, null, entry.item);
      data.entries.put(definition.sku(), entry);
      data.bySku.put(definition.sku(), entry);
      return new Registration(entry.item, true);
    }
  }

  @Override
  public Optional<ItemUpdate> updateItem(ItemDefinition definition, Instant at, AlertRule rule) {
    TenantData data = tenant(definition.tenant());
    Entry entry = data.entries.get(definition.sku());
    if (entry == null) {
      return Optional.empty();
    }
    synchronized (data.catalogLock) {
      entry.lock.lock();
      try {
        checkListings(data, definition);
        CatalogItem before = entry.item;
        entry.item = before.update(definition, at);
        entry.search = SearchForm.of(entry.item);
        indexListings(data, before, entry.item);
        List<AlertEvent> events = new ArrayList<>(2);
        applyAlertRule(data, entry, rule, at, events);
        return Optional.of(new ItemUpdate(entry.item, events));
      } finally {
        entry.lock.unlock();
      }
    }
  }

  private static void checkListings(TenantData data, ItemDefinition definition) {
    for (ShopListing listing : definition.listings()) {
      Sku owner = data.listings.get(listingKey(listing.channel(), listing.skuId()));
      if (owner != null && !owner.equals(definition.sku())) {
        throw new ConflictException(ConflictException.Reason.LISTING_TAKEN,
            "listing '" + listing.channel() + "' sku id '" + listing.skuId() + "' belongs to sku '" + owner + "'");
      }
    }
  }

  private static void indexListings(TenantData data, @Nullable CatalogItem before, CatalogItem after) {
    if (before != null) {
      for (ShopListing listing : before.listings()) {
        data.listings.remove(listingKey(listing.channel(), listing.skuId()), before.sku());
      }
    }
    for (ShopListing listing : after.listings()) {
      data.listings.put(listingKey(listing.channel(), listing.skuId()), after.sku());
    }
  }

  private static String listingKey(String channel, String skuId) {
    return channel + '\u0000' + skuId;
  }

  @Override
  public Optional<CatalogItem> item(TenantId tenant, Sku sku) {
    Entry entry = tenant(tenant).entries.get(sku);
    return entry == null ? Optional.empty() : Optional.of(entry.item);
  }

  @Override
  public Optional<CatalogItem> itemByListing(TenantId tenant, String channel, String channelSkuId) {
    TenantData data = tenant(tenant);
    Sku sku = data.listings.get(listingKey(channel, channelSkuId));
    return sku == null ? Optional.empty() : item(tenant, sku);
  }

  @Override
  public Optional<StockLevel> level(TenantId tenant, Sku sku) {
    Entry entry = tenant(tenant).entries.get(sku);
    return entry == null ? Optional.empty() : Optional.of(entry.level);
  }

  /**
   * One pass over the tenant's items in SKU order: counts every match for the total and keeps only
   * the requested page's rows. Text matching is {@link CatalogQuery#matchesText} on lower-cased forms
   * computed once per item definition, not per query.
   */
  @Override
  public Page<ItemStock> findItems(TenantId tenant, CatalogQuery query, long defaultThreshold) {
    String needle = query.text() == null ? null : query.text().toLowerCase(Locale.ROOT);
    int from = query.page().offset();
    int to = from + query.page().limit();
    List<ItemStock> rows = new ArrayList<>(Math.min(query.page().limit(), 64));
    long total = 0;
    for (Entry entry : tenant(tenant).bySku.values()) {
      SearchForm search = entry.search;
      CatalogItem item = search.item();
      StockLevel level = entry.level;
      var status = level.status(item.effectiveThreshold(defaultThreshold));
      if ((query.status() == null || query.status() == status) && search.matches(needle)) {
        if (total >= from && total < to) {
          rows.add(new ItemStock(item, level, status));
        }
        total++;
      }
    }
    return new Page<>(rows, total, query.page());
  }

  // ---------------------------------------------------------------- mutations

  @Override
  public MutationResult apply(Mutation m) {
    TenantData data = tenant(m.tenant());
    IdempotencyClaim claim = m.idempotency();
    OrderWrite orderWrite = m.order();
    List<Entry> entries = new ArrayList<>(m.changes().size());
    Sku unknown = null;
    for (LineChange change : m.changes()) {
      Entry entry = data.entries.get(change.sku());
      if (entry == null) {
        // Reported only after the idempotency record and the order version are checked (StockStore#apply).
        if (unknown == null) {
          unknown = change.sku();
        }
      } else {
        entries.add(entry);
      }
    }
    ReentrantLock keyLock = claim == null ? null : stripe(keyStripes, m.tenant(), claim.key());
    ReentrantLock orderLock = orderWrite == null ? null : stripe(orderStripes, m.tenant(), orderWrite.id().value());
    if (keyLock != null) {
      keyLock.lock();
    }
    try {
      if (orderLock != null) {
        orderLock.lock();
      }
      try {
        for (Entry entry : entries) {
          entry.lock.lock();
        }
        try {
          return applyLocked(data, m, entries, unknown);
        } finally {
          for (int i = entries.size() - 1; i >= 0; i--) {
            entries.get(i).lock.unlock();
          }
        }
      } finally {
        if (orderLock != null) {
          orderLock.unlock();
        }
      }
    } finally {
      if (keyLock != null) {
        keyLock.unlock();
      }
    }
  }

  private MutationResult applyLocked(TenantData data, Mutation m, List<Entry> entries, @Nullable Sku unknown) {
    IdempotencyClaim claim = m.idempotency();
    if (claim != null) {
      IdempotencyRecord record = data.idempotency.get(claim.key());
      if (record != null) {
        return replayed(data, record);
      }
    }
    OrderWrite write = m.order();
    Order currentOrder = null;
    if (write != null) {
      currentOrder = data.orders.get(write.id());
      long version = currentOrder == null ? 0 : currentOrder.version();
      if (version != write.expectedVersion()) {
        return new MutationResult.Rejected(MutationResult.Rejection.ORDER_VERSION_MISMATCH, null, null, currentOrder);
      }
    }
    if (unknown != null) {
      return new MutationResult.Rejected(MutationResult.Rejection.UNKNOWN_SKU, unknown, null, null);
    }
    for (int i = 0; i < entries.size(); i++) {
      Entry entry = entries.get(i);
      StockLevel level = entry.level;
      var rejection = m.changes().get(i).check(level.onHand(), level.reserved(), entry.item.allowBackorder());
      if (rejection != null) {
        return new MutationResult.Rejected(rejection, level.sku(), level, null);
      }
    }
    List<Movement> movements = new ArrayList<>(entries.size());
    List<AlertEvent> events = new ArrayList<>(0);
    String key = claim == null ? null : claim.key();
    for (int i = 0; i < entries.size(); i++) {
      Entry entry = entries.get(i);
      LineChange change = m.changes().get(i);
      StockLevel before = entry.level;
      StockLevel after = new StockLevel(before.tenant(), before.sku(), before.onHand() + change.onHandDelta(),
          before.reserved() + change.reservedDelta(), before.version() + 1, m.at());
      Movement movement = new Movement(movementIds.incrementAndGet(), m.tenant(), change.sku(), change.type(),
          change.quantity(), before.onHand(), after.onHand(), before.reserved(), after.reserved(),
          change.reason(), change.reference(), change.actor(), key, m.at());
      entry.level = after;
      entry.movements.add(movement);
      data.ledger.put(movement.id(), movement);
      movements.add(movement);
      applyAlertRule(data, entry, m.alertRule(), m.at(), events);
    }
    Order order = null;
    if (write != null) {
      Instant createdAt = currentOrder == null ? m.at() : currentOrder.createdAt();
      order = new Order(m.tenant(), write.id(), write.status(), write.lines(), write.returned(),
          write.expectedVersion() + 1, createdAt, m.at());
      data.orders.put(write.id(), order);
    }
    // One immutable copy serves the idempotency record and the result (List.copyOf keeps it as is).
    List<Movement> committed = List.copyOf(movements);
    if (claim != null) {
      data.idempotency.put(claim.key(),
          new IdempotencyRecord(claim.fingerprint(), committed, write == null ? null : write.id()));
    }
    return new MutationResult.Applied(committed, events, order);
  }

  /** Applies the alert rule to one SKU; the caller holds the SKU's lock. */
  private void applyAlertRule(TenantData data, Entry entry, AlertRule rule, Instant at, List<AlertEvent> events) {
    long threshold = rule.thresholdFor(entry.item);
    long available = entry.level.available();
    Long lowId = entry.openAlerts.get(AlertKind.LOW_STOCK);
    Long outId = entry.openAlerts.get(AlertKind.OUT_OF_STOCK);
    AlertRule.Decision d = rule.decide(threshold, available, lowId != null, outId != null);
    if (!d.any()) {
      return;
    }
    if (d.resolveLow()) {
      events.add(AlertEvent.resolved(resolve(data, entry, lowId, at, Alert.SYSTEM_ACTOR)));
    }
    if (d.resolveOut()) {
      events.add(AlertEvent.resolved(resolve(data, entry, outId, at, Alert.SYSTEM_ACTOR)));
    }
    if (d.openOut()) {
      events.add(AlertEvent.opened(open(data, entry, AlertKind.OUT_OF_STOCK, available, 0, at)));
    }
    if (d.openLow()) {
      events.add(AlertEvent.opened(open(data, entry, AlertKind.LOW_STOCK, available, threshold, at)));
    }
  }

  private Alert open(TenantData data, Entry entry, AlertKind kind, long available, long threshold, Instant at) {
    Alert alert = Alert.open(alertIds.incrementAndGet(), entry.item.tenant(), entry.item.sku(), kind, available, threshold, at);
    data.alerts.put(alert.id(), alert);
    entry.openAlerts.put(kind, alert.id());
    return alert;
  }

  private static Alert resolve(TenantData data, Entry entry, long alertId, Instant at, String actor) {
    Alert resolved = data.alerts.get(alertId).resolve(at, actor);
    data.alerts.put(alertId, resolved);
    entry.openAlerts.remove(resolved.kind());
    return resolved;
  }

  @Override
  public Optional<MutationResult.Replayed> replay(TenantId tenant, String idempotencyKey) {
    TenantData data = tenant(tenant);
    IdempotencyRecord record = data.idempotency.get(idempotencyKey);
    if (record == null) {
      return Optional.empty();
    }
    return Optional.of(replayed(data, record));
  }

  /** What a recorded key replays: its movements and the order it wrote, as that order is now. */
  private static MutationResult.Replayed replayed(TenantData data, IdempotencyRecord record) {
    Order order = record.orderId == null ? null : data.orders.get(record.orderId);
    return new MutationResult.Replayed(record.fingerprint, record.movements, order);
  }

  @Override
  public Optional<Order> order(TenantId tenant, OrderId id) {
    return Optional.ofNullable(tenant(tenant).orders.get(id));
  }

  // ---------------------------------------------------------------- ledger

  /** Newest first; counts every match for the total and keeps only the requested page's rows. */
  @Override
  public Page<Movement> history(TenantId tenant, HistoryQuery query) {
    PageCollector<Movement> page = new PageCollector<>(query.page());
    TenantData data = tenant(tenant);
    if (query.sku() != null) {
      Entry entry = data.entries.get(query.sku());
      if (entry == null) {
        return Page.empty(query.page());
      }
      entry.lock.lock();
      try {
        for (int i = entry.movements.size() - 1; i >= 0; i--) {
          Movement m = entry.movements.get(i);
          if (query.matches(m)) {
            page.offer(m);
          }
        }
      } finally {
        entry.lock.unlock();
      }
    } else {
      for (Movement m : data.ledger.descendingMap().values()) {
        if (query.matches(m)) {
          page.offer(m);
        }
      }
    }
    return page.page();
  }

  /** Keeps the rows of one page of an ordered stream of matches, and counts them all. */
  private static final class PageCollector<T> {
    private final PageRequest request;
    private final List<T> rows;
    private long total;

    PageCollector(PageRequest request) {
      this.request = request;
      this.rows = new ArrayList<>(Math.min(request.limit(), 64));
    }

    void offer(T row) {
      if (total >= request.offset() && total < (long) request.offset() + request.limit()) {
        rows.add(row);
      }
      total++;
    }

    Page<T> page() {
      return new Page<>(rows, total, request);
    }
  }

  @Override
  public void forEachMovement(TenantId tenant, Sku sku, Consumer<Movement> action) {
    Entry entry = tenant(tenant).entries.get(sku);
    if (entry == null) {
      return;
    }
    List<Movement> copy;
    entry.lock.lock();
    try {
      copy = new ArrayList<>(entry.movements);
    } finally {
      entry.lock.unlock();
    }
    copy.forEach(action);
  }

  // ---------------------------------------------------------------- alerts

  @Override
  public List<Alert> openAlerts(TenantId tenant, @Nullable Sku sku) {
    List<Alert> open = new ArrayList<>();
    for (Alert alert : tenant(tenant).alerts.values()) {
      if (alert.isOpen() && (sku == null || sku.equals(alert.sku()))) {
        open.add(alert);
      }
    }
    open.sort(Comparator.comparingLong(Alert::id));
    return open;
  }

  @Override
  public Optional<Alert> alert(TenantId tenant, long alertId) {
    return Optional.ofNullable(tenant(tenant).alerts.get(alertId));
  }

  @Override
  public Optional<AlertResolution> resolveAlert(TenantId tenant, long alertId, Instant at, String actor) {
    TenantData data = tenant(tenant);
    Alert alert = data.alerts.get(alertId);
    if (alert == null) {
      return Optional.empty();
    }
    Entry entry = data.entries.get(alert.sku());
    entry.lock.lock();
    try {
      Alert current = data.alerts.get(alertId);
      if (!current.isOpen()) {
        return Optional.of(new AlertResolution(current, false));
      }
      return Optional.of(new AlertResolution(resolve(data, entry, alertId, at, actor), true));
    } finally {
      entry.lock.unlock();
    }
  }

  @Override
  public boolean recordDelivery(TenantId tenant, long alertId, AlertEventType notification, DeliveryState state, int attempts) {
    TenantData data = tenant(tenant);
    boolean[] recorded = {false};
    data.alerts.computeIfPresent(alertId, (id, alert) -> {
      if (alert.notification() != notification) {
        return alert;
      }
      recorded[0] = true;
      return alert.withDelivery(state, attempts);
    });
    return recorded[0];
  }

  @Override
  public List<Alert> pendingDeliveries(Instant raisedBefore, int limit) {
    List<Alert> pending = new ArrayList<>();
    for (TenantData data : tenants.values()) {
      for (Alert alert : data.alerts.values()) {
        Instant raised = alert.notification() == AlertEventType.OPENED ? alert.openedAt() : alert.resolvedAt();
        if (alert.delivery() == DeliveryState.PENDING && raised != null && !raised.isAfter(raisedBefore)) {
          pending.add(alert);
        }
      }
    }
    pending.sort(Comparator.comparingLong(Alert::id));
    return pending.size() > limit ? List.copyOf(pending.subList(0, limit)) : pending;
  }

  @Override
  public void ping() {
    // always reachable
  }

  // ---------------------------------------------------------------- inbox

  @Override
  public boolean offer(TenantId tenant, String source, String eventId, String payload, Instant receivedAt) {
    String key = tenant.value() + '\u0000' + source + '\u0000' + eventId;
    return inbox.putIfAbsent(key, new InboxEntry(new InboxEvent(tenant, source, eventId, payload, receivedAt, 0, null), false)) == null;
  }

  @Override
  public List<InboxEvent> pending(int limit) {
    List<InboxEvent> pending = new ArrayList<>();
    for (InboxEntry entry : inbox.values()) {
      if (!entry.processed) {
        pending.add(entry.event);
      }
    }
    pending.sort(Comparator.comparing(InboxEvent::receivedAt).thenComparing(InboxEvent::eventId));
    return pending.size() > limit ? List.copyOf(pending.subList(0, limit)) : pending;
  }

  @Override
  public void complete(TenantId tenant, String source, String eventId, Instant at, @Nullable String error) {
    String key = tenant.value() + '\u0000' + source + '\u0000' + eventId;
    inbox.computeIfPresent(key, (k, entry) -> {
      if (error == null) {
        return new InboxEntry(entry.event, true);
      }
      InboxEvent e = entry.event;
      return new InboxEntry(
          new InboxEvent(e.tenant(), e.source(), e.eventId(), e.payload(), e.receivedAt(), e.attempts() + 1, error), false);
    });
  }

  // ---------------------------------------------------------------- leases

  @Override
  public boolean tryAcquire(String lease, String owner, Instant now, Duration ttl) {
    Lease result = leases.compute(lease, (name, current) -> {
      if (current == null || current.owner.equals(owner) || !current.expiresAt.isAfter(now)) {
        return new Lease(owner, now.plus(ttl));
      }
      return current;
    });
    return result.owner.equals(owner);
  }

  @Override
  public void release(String lease, String owner) {
    leases.computeIfPresent(lease, (name, current) -> current.owner.equals(owner) ? null : current);
  }

  @Override
  public String toString() {
    return "InMemoryStockStore{tenants=" + tenants.size() + "}";
  }

  // ---------------------------------------------------------------- state

  private static final class TenantData {
    final Object catalogLock = new Object();
    final ConcurrentHashMap<Sku, Entry> entries = new ConcurrentHashMap<>();
    /** The same entries in SKU order, for catalog queries (written under the catalog lock). */
    final ConcurrentSkipListMap<Sku, Entry> bySku = new ConcurrentSkipListMap<>();
    final ConcurrentHashMap<String, Sku> listings = new ConcurrentHashMap<>();
    final ConcurrentSkipListMap<Long, Movement> ledger = new ConcurrentSkipListMap<>();
    final ConcurrentHashMap<String, IdempotencyRecord> idempotency = new ConcurrentHashMap<>();
    final ConcurrentHashMap<OrderId, Order> orders = new ConcurrentHashMap<>();
    final ConcurrentHashMap<Long, Alert> alerts = new ConcurrentHashMap<>();
  }

  /** One SKU. Fields other than the lock are written only under the lock. */
  private static final class Entry {
    final ReentrantLock lock = new ReentrantLock();
    volatile CatalogItem item;
    /** The item with its search forms; replaced together with {@link #item}. */
    volatile SearchForm search;
    volatile StockLevel level;
    final ArrayList<Movement> movements = new ArrayList<>();
    final Map<AlertKind, Long> openAlerts = new EnumMap<>(AlertKind.class);

    Entry(CatalogItem item, StockLevel level) {
      this.item = item;
      this.search = SearchForm.of(item);
      this.level = level;
    }
  }

  /**
   * An item with its name and SKU lower-cased as {@link CatalogQuery#matchesText} compares them.
   */
  private record SearchForm(CatalogItem item, String name, String sku) {
    static SearchForm of(CatalogItem item) {
      return new SearchForm(item, item.name().toLowerCase(Locale.ROOT), item.sku().value().toLowerCase(Locale.ROOT));
    }

    /** {@link CatalogQuery#matchesText}, given the query text already lower-cased ({@code null}: any). */
    boolean matches(@Nullable String needle) {
      return needle == null || name.contains(needle) || sku.contains(needle);
    }
  }

  private record IdempotencyRecord(String fingerprint, List<Movement> movements, @Nullable OrderId orderId) {}

  private record InboxEntry(InboxEvent event, boolean processed) {}

  private record Lease(String owner, Instant expiresAt) {}
}
