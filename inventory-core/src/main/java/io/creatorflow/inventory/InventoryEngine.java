package io.creatorflow.inventory;

import io.creatorflow.inventory.internal.AlertDispatcher;
import io.creatorflow.inventory.internal.Checks;
import io.creatorflow.inventory.internal.Fingerprint;
import io.creatorflow.inventory.internal.Keys;
import io.creatorflow.inventory.spi.AlertRule;
import io.creatorflow.inventory.spi.AlertSink;
import io.creatorflow.inventory.spi.IdempotencyClaim;
import io.creatorflow.inventory.spi.LineChange;
import io.creatorflow.inventory.spi.Mutation;
import io.creatorflow.inventory.spi.MutationResult;
import io.creatorflow.inventory.spi.OrderWrite;
import io.creatorflow.inventory.spi.StockStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inventory engine: one stock pool per SKU shared by every sales channel, an append-only ledger
 * written atomically with every change, all-or-nothing order reservations, idempotent operations and
 * low-stock alerts. Every business rule lives here; the {@link StockStore} only applies guarded
 * atomic changes.
 *
 * <pre>{@code
 * try (InventoryEngine engine = InventoryEngine.builder()
 *     .store(new InMemoryStockStore())
 *     .alertSink(new LoggingAlertSink())
 *     .alertExecutor(executor)
 *     .build()) {
 *   engine.register(ItemDefinition.builder(tenant, sku).name("Hoodie").lowStockThreshold(5).build());
 *   engine.adjust(Adjustment.of(tenant, sku, 100, "initial count"));
 *   engine.reserve(Reservation.of(tenant, OrderId.of("o-1"), OrderLine.of(sku, 2)));
 * }
 * }</pre>
 *
 * <p>Thread-safe. The engine starts no threads: alert delivery runs on the executor the host gives
 * it, and the host owns that executor and the store (closing the engine closes neither).
 *
 * <p>Every operation either completes entirely or throws and changes nothing. Errors: {@link
 * InvalidRequestException} (bad input), {@link NotFoundException} (unknown SKU, order or alert),
 * {@link InsufficientStockException}, {@link ConflictException}, {@link StoreUnavailableException}.
 */
public final class InventoryEngine implements AutoCloseable {
  /** The default low-stock threshold for items without their own. */
  public static final long DEFAULT_LOW_STOCK_THRESHOLD = 5;
  /** The default hysteresis before alerts resolve. */
  public static final long DEFAULT_ALERT_HYSTERESIS = 0;
  private static final int MAX_ORDER_RETRIES = 5;
  private static final int LEDGER_PAGE = PageRequest.MAX_LIMIT;
  private static final Logger log = LoggerFactory.getLogger(InventoryEngine.class);

  private final StockStore store;
  private final Clock clock;
  private final AlertRule alertRule;
  private final AlertDispatcher dispatcher;
  private final CopyOnWriteArrayList<InventoryListener> listeners;
  private volatile boolean closed;

  private InventoryEngine(Builder b) {
    this.store = b.store;
    this.clock = b.clock;
    this.alertRule = new AlertRule(b.defaultLowStockThreshold, b.alertHysteresis);
    this.dispatcher = new AlertDispatcher(b.sinks, b.alertExecutor, b.store, b.deliveryPolicy);
    this.listeners = new CopyOnWriteArrayList<>(b.listeners);
  }

  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------------------------ catalog

  /**
   * Registers a catalog item with nothing on hand. Registering the same definition again returns the
   * stored item; a different definition for a registered SKU is a conflict (use {@link #updateItem}).
   *
   * @throws ConflictException {@code ITEM_EXISTS} or {@code LISTING_TAKEN}
   */
  public CatalogItem register(ItemDefinition definition) {
    Checks.notNull(definition, "definition");
    StockStore.Registration registration = call(() -> store.registerItem(definition, now()));
    CatalogItem item = registration.item();
    if (!registration.created() && !item.definition().equals(definition)) {
      throw new ConflictException(ConflictException.Reason.ITEM_EXISTS,
          "sku '" + definition.sku() + "' is registered already with a different definition; use updateItem");
    }
    if (registration.created()) {
      notifyItem(item);
    }
    return item;
  }

  /**
   * Replaces a registered item's definition. A new threshold takes effect at once: alerts open or
   * resolve against the current stock.
   *
   * @throws UnknownSkuException if the SKU is not registered
   */
  public CatalogItem updateItem(ItemDefinition definition) {
    Checks.notNull(definition, "definition");
    StockStore.ItemUpdate update = call(() -> store.updateItem(definition, now(), alertRule))
        .orElseThrow(() -> new UnknownSkuException(definition.tenant(), definition.sku()));
    notifyItem(update.item());
    alerts(update.alertEvents());
    return update.item();
  }

  /** @throws UnknownSkuException if the SKU is not registered */
  public CatalogItem item(TenantId tenant, Sku sku) {
    return call(() -> store.item(tenant, sku)).orElseThrow(() -> new UnknownSkuException(tenant, sku));
  }

  /** The item a channel lists under its own SKU id, if any. */
  public Optional<CatalogItem> itemByListing(TenantId tenant, String channel, String channelSkuId) {
    return call(() -> store.itemByListing(tenant, channel, channelSkuId));
  }

  // ------------------------------------------------------------------------------------ stock

  /**
   * Changes on hand by {@code adjustment.delta()}.
   *
   * @throws InsufficientStockException if it would take available or on hand below zero
   */
  public OperationResult adjust(Adjustment a) {
    Checks.notNull(a, "adjustment");
    String fp = Fingerprint.of("adjust").add(a.sku()).add(a.delta()).add(a.type()).add(a.reason())
        .add(a.reference()).digest();
    LineChange change = new LineChange(a.sku(), a.type(), Math.abs(a.delta()), a.delta(), 0, null,
        a.reason(), a.reference(), a.actor());
    return execute(a.tenant(), claim(a.idempotencyKey(), fp), List.of(change), null);
  }

  /**
   * Sets on hand to a counted value if it is still {@code count.expectedOnHand()}.
   *
   * @throws ConflictException {@code EXPECTED_QUANTITY_MISMATCH} if on hand changed meanwhile
   * @throws InsufficientStockException if the new on hand is below what is reserved
   */
  public OperationResult setOnHand(StockCount c) {
    Checks.notNull(c, "count");
    String fp = Fingerprint.of("count").add(c.sku()).add(c.expectedOnHand()).add(c.newOnHand()).add(c.reason()).digest();
    long delta = c.newOnHand() - c.expectedOnHand();
    LineChange change = new LineChange(c.sku(), MovementType.ADJUSTMENT, Math.abs(delta), delta, 0,
        c.expectedOnHand(), c.reason(), null, c.actor());
    return execute(c.tenant(), claim(c.idempotencyKey(), fp), List.of(change), null);
  }

  /** The current level of a SKU. @throws UnknownSkuException if the SKU is not registered */
  public StockLevel level(TenantId tenant, Sku sku) {
    return call(() -> store.level(tenant, sku)).orElseThrow(() -> new UnknownSkuException(tenant, sku));
  }

  // ------------------------------------------------------------------------------------ orders

  /**
   * Reserves every line of an order, or none.
   *
   * @throws InsufficientStockException naming the first line that cannot be reserved
   * @throws UnknownSkuException if a line names an unregistered SKU
   * @throws ConflictException {@code ORDER_STATE} if the order was reserved before with other lines
   */
  public OperationResult reserve(Reservation r) {
    Checks.notNull(r, "reservation");
    String fp = Fingerprint.of("reserve").add(r.orderId()).addLines(r.lines()).digest();
    String key = r.idempotencyKey() != null ? r.idempotencyKey() : Keys.orderReservation(r.orderId());
    String reference = orderReference(r.orderId());
    List<OrderLine> lines = r.lines();
    List<LineChange> changes;
    if (lines.size() == 1) {
      changes = List.of(reserveChange(lines.get(0), reference, r.actor()));
    } else {
      LineChange[] array = new LineChange[lines.size()];
      for (int i = 0; i < array.length; i++) {
        array[i] = reserveChange(lines.get(i), reference, r.actor());
      }
      changes = List.of(array);
    }
    OrderWrite write = new OrderWrite(r.orderId(), 0, OrderStatus.RESERVED, r.lines(), List.of());
    try {
      return execute(r.tenant(), new IdempotencyClaim(key, fp), changes, write);
    } catch (OrderVersionConflict e) {
      Order existing = e.current;
      if (existing != null && existing.lines().equals(r.lines())) {
        return new OperationResult(List.of(), existing, true);
      }
      throw new ConflictException(ConflictException.Reason.ORDER_STATE,
          "order '" + r.orderId() + "' was reserved before with different lines");
    } catch (ConflictException e) {
      if (r.idempotencyKey() == null && e.reason() == ConflictException.Reason.IDEMPOTENCY_KEY_REUSED) {
        // The implicit key is the order's own: it was reserved before, with different lines.
        throw new ConflictException(ConflictException.Reason.ORDER_STATE,
            "order '" + r.orderId() + "' was reserved before with different lines");
      }
      throw e;
    }
  }

  /**
   * Ships a reserved order: reserved and on hand fall by every line ({@link MovementType#OUT}).
   *
   * @throws UnknownOrderException if the order was never reserved
   * @throws ConflictException {@code ORDER_STATE} if it is not reserved (fulfilled or cancelled)
   */
  public OperationResult fulfil(OrderCommand c) {
    Checks.notNull(c, "command");
    String fp = Fingerprint.of("fulfil").add(c.orderId()).add(c.reason()).digest();
    return orderTransition(c.tenant(), c.orderId(), c.idempotencyKey(), fp, order -> {
      requireStatus(order, OrderStatus.RESERVED, "fulfil");
      List<LineChange> changes = new ArrayList<>();
      for (OrderLine line : order.lines()) {
        changes.add(new LineChange(line.sku(), MovementType.OUT, line.quantity(), -line.quantity(),
            -line.quantity(), null, c.reason(), orderReference(c.orderId()), c.actor()));
      }
      return new Plan(changes, new OrderWrite(order.id(), order.version(), OrderStatus.FULFILLED, order.lines(), List.of()));
    });
  }

  /**
   * Releases a reserved order's reservation ({@link MovementType#RELEASE}).
   *
   * @throws UnknownOrderException if the order was never reserved
   * @throws ConflictException {@code ORDER_STATE} if it is fulfilled or cancelled already
   */
  public OperationResult cancel(OrderCommand c) {
    Checks.notNull(c, "command");
    String fp = Fingerprint.of("cancel").add(c.orderId()).add(c.reason()).digest();
    return orderTransition(c.tenant(), c.orderId(), c.idempotencyKey(), fp, order -> {
      requireStatus(order, OrderStatus.RESERVED, "cancel");
      List<LineChange> changes = new ArrayList<>();
      for (OrderLine line : order.lines()) {
        changes.add(new LineChange(line.sku(), MovementType.RELEASE, line.quantity(), 0, -line.quantity(), null,
            c.reason(), orderReference(c.orderId()), c.actor()));
      }
      return new Plan(changes, new OrderWrite(order.id(), order.version(), OrderStatus.CANCELLED, order.lines(), List.of()));
    });
  }

  /**
   * Records a return from a fulfilled order, restocking it ({@link MovementType#IN}) if asked.
   *
   * @throws UnknownOrderException if the order was never reserved
   * @throws ConflictException {@code ORDER_STATE} if the order is not fulfilled; {@code
   *     RETURN_EXCEEDS_FULFILLED} if a SKU would be returned more often than it was fulfilled
   */
  public OperationResult returnItems(OrderReturn r) {
    Checks.notNull(r, "return");
    String fp = Fingerprint.of("return").add(r.orderId()).addLines(r.lines()).add(r.restock()).add(r.reason())
        .digest();
    return orderTransition(r.tenant(), r.orderId(), r.idempotencyKey(), fp, order -> {
      requireStatus(order, OrderStatus.FULFILLED, "return items of");
      Map<Sku, Long> returned = new LinkedHashMap<>();
      for (OrderLine line : order.returned()) {
        returned.put(line.sku(), line.quantity());
      }
      List<LineChange> changes = new ArrayList<>();
      for (OrderLine line : r.lines()) {
        long sold = OrderLine.quantityOf(order.lines(), line.sku());
        long before = returned.getOrDefault(line.sku(), 0L);
        if (before + line.quantity() > sold) {
          throw new ConflictException(ConflictException.Reason.RETURN_EXCEEDS_FULFILLED,
              "cannot return " + line.quantity() + " of sku '" + line.sku() + "' for order '" + order.id()
                  + "': " + sold + " fulfilled, " + before + " returned already");
        }
        returned.put(line.sku(), before + line.quantity());
        if (r.restock()) {
          changes.add(new LineChange(line.sku(), MovementType.IN, line.quantity(), line.quantity(), 0, null,
              r.reason() != null ? r.reason() : "return", "return:" + order.id().value(), r.actor()));
        }
      }
      List<OrderLine> newReturned = OrderLine.normalize(
          returned.entrySet().stream().map(e -> new OrderLine(e.getKey(), e.getValue())).toList());
      return new Plan(changes, new OrderWrite(order.id(), order.version(), OrderStatus.FULFILLED, order.lines(), newReturned));
    });
  }

  /** @throws UnknownOrderException if the order was never reserved */
  public Order order(TenantId tenant, OrderId orderId) {
    return call(() -> store.order(tenant, orderId)).orElseThrow(() -> new UnknownOrderException(tenant, orderId));
  }

  private interface Planner {
    Plan plan(Order current);
  }

  private record Plan(List<LineChange> changes, OrderWrite write) {}

  private OperationResult orderTransition(
      TenantId tenant, OrderId orderId, @Nullable String key, String fingerprint, Planner planner) {
    IdempotencyClaim claim = claim(key, fingerprint);
    for (int attempt = 1; ; attempt++) {
      Order order = call(() -> store.order(tenant, orderId)).orElse(null);
      Plan plan;
      try {
        if (order == null) {
          throw new UnknownOrderException(tenant, orderId);
        }
        plan = planner.plan(order);
      } catch (InventoryException e) {
        // The state forbids the operation, unless this very request was applied before.
        if (claim != null) {
          Optional<MutationResult.Replayed> replay = call(() -> store.replay(tenant, claim.key()));
          if (replay.isPresent()) {
            return replayed(replay.get(), claim);
          }
        }
        throw e;
      }
      try {
        return execute(tenant, claim, sorted(plan.changes()), plan.write());
      } catch (OrderVersionConflict e) {
        if (attempt >= MAX_ORDER_RETRIES) {
          throw new ConflictException(ConflictException.Reason.CONCURRENT_MODIFICATION,
              "order '" + orderId + "' kept changing concurrently; retry later");
        }
      }
    }
  }

  private static List<LineChange> sorted(List<LineChange> changes) {
    List<LineChange> copy = new ArrayList<>(changes);
    copy.sort((a, b) -> a.sku().compareTo(b.sku()));
    return copy;
  }

  private static void requireStatus(Order order, OrderStatus required, String action) {
    if (order.status() != required) {
      throw new ConflictException(ConflictException.Reason.ORDER_STATE,
          "cannot " + action + " order '" + order.id() + "': it is " + order.status() + ", not " + required);
    }
  }

  private static LineChange reserveChange(OrderLine line, String reference, @Nullable String actor) {
    return new LineChange(line.sku(), MovementType.RESERVE, line.quantity(), 0, line.quantity(), null, null, reference,
        actor);
  }

  private static String orderReference(OrderId id) {
    return Keys.orderReference(id);
  }

  // ------------------------------------------------------------------------------------ queries

  /** Catalog items with their stock, filtered by status and text, sorted by SKU, with a true total. */
  public Page<ItemStock> find(TenantId tenant, CatalogQuery query) {
    Checks.notNull(tenant, "tenant");
    Checks.notNull(query, "query");
    return call(() -> store.findItems(tenant, query, alertRule.defaultThreshold()));
  }

  /**
   * Ledger rows, newest first, with a true total.
   *
   * @throws UnknownSkuException if the query names an unregistered SKU
   */
  public Page<Movement> history(TenantId tenant, HistoryQuery query) {
    Checks.notNull(tenant, "tenant");
    Checks.notNull(query, "query");
    Sku sku = query.sku();
    if (sku != null && call(() -> store.item(tenant, sku)).isEmpty()) {
      throw new UnknownSkuException(tenant, sku);
    }
    return call(() -> store.history(tenant, query));
  }

  /**
   * Replays every SKU's ledger from zero and compares it with the balances: the chain of
   * before/after values must be unbroken, and its end must equal the current on hand and reserved.
   * Reads everything; meant for audits and tests, not for every request.
   */
  public LedgerReport verifyLedger(TenantId tenant) {
    Checks.notNull(tenant, "tenant");
    List<LedgerReport.Discrepancy> discrepancies = new ArrayList<>();
    int skus = 0;
    long movements = 0;
    PageRequest page = PageRequest.first(LEDGER_PAGE);
    while (true) {
      Page<ItemStock> items = find(tenant, CatalogQuery.all().withPage(page));
      for (ItemStock row : items.items()) {
        skus++;
        LedgerReplay replay = new LedgerReplay();
        call(() -> {
          store.forEachMovement(tenant, row.item().sku(), replay::accept);
          return null;
        });
        movements += replay.count;
        StockLevel level = call(() -> store.level(tenant, row.item().sku())).orElse(row.level());
        String problem = replay.problem;
        if (problem == null && (replay.onHand != level.onHand() || replay.reserved != level.reserved())) {
          problem = "ledger ends at on hand " + replay.onHand + ", reserved " + replay.reserved
              + " but the balance is on hand " + level.onHand() + ", reserved " + level.reserved();
        }
        if (problem != null) {
          discrepancies.add(new LedgerReport.Discrepancy(row.item().sku(), replay.onHand, replay.reserved,
              level.onHand(), level.reserved(), problem));
        }
      }
      if (!items.hasNext()) {
        return new LedgerReport(skus, movements, discrepancies);
      }
      page = page.next();
    }
  }

  private static final class LedgerReplay {
    long onHand;
    long reserved;
    long count;
    long lastId = Long.MIN_VALUE;
    @Nullable String problem;

    void accept(Movement m) {
      count++;
      if (problem == null) {
        if (m.id() <= lastId) {
          problem = "movement " + m.id() + " is out of order after " + lastId;
        } else if (m.onHandBefore() != onHand || m.reservedBefore() != reserved) {
          problem = "movement " + m.id() + " starts at on hand " + m.onHandBefore() + ", reserved "
              + m.reservedBefore() + " but the ledger so far ends at " + onHand + ", " + reserved;
        }
      }
      lastId = m.id();
      onHand += m.onHandDelta();
      reserved += m.reservedDelta();
    }
  }

  // ------------------------------------------------------------------------------------ alerts

  /** Open alerts of the tenant, oldest first. */
  public List<Alert> openAlerts(TenantId tenant) {
    Checks.notNull(tenant, "tenant");
    return call(() -> store.openAlerts(tenant, null));
  }

  /** Open alerts of one SKU. */
  public List<Alert> openAlerts(TenantId tenant, Sku sku) {
    Checks.notNull(tenant, "tenant");
    Checks.notNull(sku, "sku");
    return call(() -> store.openAlerts(tenant, sku));
  }

  /** @throws UnknownAlertException if there is no such alert */
  public Alert alert(TenantId tenant, long alertId) {
    return call(() -> store.alert(tenant, alertId)).orElseThrow(() -> new UnknownAlertException(tenant, alertId));
  }

  /**
   * Resolves an open alert by hand and notifies the sinks. Resolving a resolved alert changes
   * nothing. If stock is still low, the next change that finds it low opens a new alert.
   *
   * @throws UnknownAlertException if there is no such alert
   */
  public Alert resolveAlert(TenantId tenant, long alertId, String actor) {
    Checks.notNull(tenant, "tenant");
    Checks.requiredText(actor, "actor", Adjustment.MAX_TEXT);
    StockStore.AlertResolution resolution = call(() -> store.resolveAlert(tenant, alertId, now(), actor))
        .orElseThrow(() -> new UnknownAlertException(tenant, alertId));
    if (resolution.resolvedNow()) {
      alerts(List.of(AlertEvent.resolved(resolution.alert())));
    }
    return resolution.alert();
  }

  /**
   * Queues again every notification still pending after {@code olderThan} (for example because the
   * process died before delivering it). Hosts schedule this every few minutes; delivery is at least
   * once.
   *
   * @return how many notifications were queued
   */
  public int redeliverPendingAlerts(Duration olderThan, int limit) {
    Objects.requireNonNull(olderThan, "olderThan");
    if (limit < 1) {
      throw new InvalidRequestException("limit must be positive, was " + limit);
    }
    List<Alert> pending = call(() -> store.pendingDeliveries(now().minus(olderThan), limit));
    dispatcher.dispatch(pending.stream().map(a -> new AlertEvent(a.notification(), a)).toList());
    return pending.size();
  }

  // ------------------------------------------------------------------------------------ listeners

  /**
   * Adds a listener for committed changes, for components built after the engine (such as sync).
   *
   * @return closing it removes the listener
   */
  public AutoCloseable addListener(InventoryListener listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  // ------------------------------------------------------------------------------------ health

  /** Checks the store and reports alert delivery; never throws. */
  public HealthReport health() {
    Map<String, HealthReport.Component> components = new LinkedHashMap<>();
    try {
      store.ping();
      components.put("store", HealthReport.Component.up(null));
    } catch (RuntimeException e) {
      components.put("store", HealthReport.Component.down(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
    components.put("alerts", HealthReport.Component.up("in flight " + dispatcher.inFlight() + ", delivered "
        + dispatcher.deliveredCount() + ", failed " + dispatcher.failedCount()));
    return HealthReport.of(components, now());
  }

  /** The store this engine writes to. */
  public StockStore store() {
    return store;
  }

  /** The clock this engine stamps movements with. */
  public Clock clock() {
    return clock;
  }

  /** The alert policy in force. */
  public AlertRule alertRule() {
    return alertRule;
  }

  /**
   * Stops the engine: later operations throw {@link IllegalStateException}, no new alert deliveries
   * are queued (pending ones stay pending for {@link #redeliverPendingAlerts}). Closes neither the
   * store nor the executor, which the host owns.
   */
  @Override
  public void close() {
    closed = true;
    dispatcher.close();
  }

  // ------------------------------------------------------------------------------------ core

  private @Nullable IdempotencyClaim claim(@Nullable String key, String fingerprint) {
    return key == null ? null : new IdempotencyClaim(key, fingerprint);
  }

  private Instant now() {
    return clock.instant();
  }

  private OperationResult execute(
      TenantId tenant, @Nullable IdempotencyClaim claim, List<LineChange> changes, @Nullable OrderWrite order) {
    Checks.notNull(tenant, "tenant");
    Mutation mutation = new Mutation(tenant, now(), claim, changes, order, alertRule);
    MutationResult result = apply(mutation);
    if (result instanceof MutationResult.Applied applied) {
      if (!applied.movements().isEmpty() && !listeners.isEmpty()) {
        notifyListeners("movements", l -> l.onMovements(tenant, applied.movements()));
      }
      alerts(applied.alertEvents());
      return new OperationResult(applied.movements(), applied.order(), false);
    }
    if (result instanceof MutationResult.Replayed replayed) {
      return replayed(replayed, claim);
    }
    MutationResult.Rejected rejected = (MutationResult.Rejected) result;
    throw rejection(tenant, rejected, changes);
  }

  private void notifyItem(CatalogItem item) {
    notifyListeners("item change", l -> l.onItemChanged(item));
  }

  /** Calls every listener; a listener's exception is logged and never fails the operation. */
  private void notifyListeners(String what, Consumer<InventoryListener> call) {
    for (InventoryListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        log.warn("inventory listener {} failed on {}: {}", listener, what, e.toString());
      }
    }
  }

  private void alerts(List<AlertEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    dispatcher.dispatch(events);
    if (!listeners.isEmpty()) {
      notifyListeners("alerts", l -> l.onAlerts(events));
    }
  }

  private static OperationResult replayed(MutationResult.Replayed replayed, @Nullable IdempotencyClaim claim) {
    if (claim != null && !replayed.fingerprint().equals(claim.fingerprint())) {
      throw new ConflictException(ConflictException.Reason.IDEMPOTENCY_KEY_REUSED,
          "idempotency key '" + claim.key() + "' was used before for a different request");
    }
    return new OperationResult(replayed.movements(), replayed.order(), true);
  }

  private RuntimeException rejection(TenantId tenant, MutationResult.Rejected r, List<LineChange> changes) {
    Sku sku = r.sku();
    switch (r.reason()) {
      case UNKNOWN_SKU:
        return new UnknownSkuException(tenant, Objects.requireNonNull(sku));
      case INSUFFICIENT_STOCK: {
        LineChange change = changes.stream().filter(c -> c.sku().equals(sku)).findFirst().orElseThrow();
        long available = r.level() == null ? 0 : r.level().available();
        if (change.onHandDelta() < 0 && r.level() != null && change.reservedDelta() < 0) {
          available = r.level().onHand();
        }
        return new InsufficientStockException(tenant, Objects.requireNonNull(sku), change.quantity(), available);
      }
      case EXPECTED_ON_HAND_MISMATCH: {
        LineChange change = changes.stream().filter(c -> c.sku().equals(sku)).findFirst().orElseThrow();
        return new ConflictException(ConflictException.Reason.EXPECTED_QUANTITY_MISMATCH,
            "on hand of sku '" + sku + "' is " + (r.level() == null ? "unknown" : r.level().onHand())
                + ", not the expected " + change.expectedOnHand() + "; read it again and retry");
      }
      case ORDER_VERSION_MISMATCH:
        return new OrderVersionConflict(r.order());
      default:
        throw new IllegalStateException("unknown rejection " + r.reason());
    }
  }

  /** Internal signal: the order changed between read and write. Never escapes the engine. */
  private static final class OrderVersionConflict extends InventoryException {
    private static final long serialVersionUID = 1L;
    final transient @Nullable Order current;

    OrderVersionConflict(@Nullable Order current) {
      super("order changed concurrently");
      this.current = current;
    }
  }

  /** {@link #call} of {@link StockStore#apply}, without a lambda on the hot path. */
  private MutationResult apply(Mutation mutation) {
    if (closed) {
      throw new IllegalStateException("the inventory engine is closed");
    }
    try {
      return store.apply(mutation);
    } catch (InventoryException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StoreUnavailableException("stock store failed: " + e, e);
    }
  }

  private <T> T call(Supplier<T> action) {
    if (closed) {
      throw new IllegalStateException("the inventory engine is closed");
    }
    try {
      return action.get();
    } catch (InventoryException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StoreUnavailableException("stock store failed: " + e, e);
    }
  }

  @Override
  public String toString() {
    return "InventoryEngine{store=" + store.getClass().getSimpleName() + ", alertRule=" + alertRule + "}";
  }

  /**
   * Configures an {@link InventoryEngine}. Not thread-safe. Defaults: no alert sinks, {@link
   * Clock#systemUTC()}, threshold {@value #DEFAULT_LOW_STOCK_THRESHOLD}, hysteresis {@value
   * #DEFAULT_ALERT_HYSTERESIS}, {@link AlertDeliveryPolicy#ofDefaults()}.
   */
  public static final class Builder {
    private @Nullable StockStore store;
    private final List<AlertSink> sinks = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private @Nullable ScheduledExecutorService alertExecutor;
    private long defaultLowStockThreshold = DEFAULT_LOW_STOCK_THRESHOLD;
    private long alertHysteresis = DEFAULT_ALERT_HYSTERESIS;
    private AlertDeliveryPolicy deliveryPolicy = AlertDeliveryPolicy.ofDefaults();
    private final List<InventoryListener> listeners = new ArrayList<>();

    private Builder() {}

    /** Adds a listener for committed changes (see {@link InventoryListener} for its contract). */
    public Builder listener(InventoryListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** The store; required. The host owns it and closes it. */
    public Builder store(StockStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Adds an alert sink; requires {@link #alertExecutor}. */
    public Builder alertSink(AlertSink sink) {
      sinks.add(Objects.requireNonNull(sink, "sink"));
      return this;
    }

    /** The clock that stamps movements, orders and alerts. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The executor alert deliveries and their retries run on. The host owns it: the engine never
     * shuts it down. Required when sinks are registered.
     */
    public Builder alertExecutor(ScheduledExecutorService executor) {
      this.alertExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The threshold for items that have none of their own; 0 disables low-stock alerts for them. */
    public Builder defaultLowStockThreshold(long threshold) {
      if (threshold < 0 || threshold > Checks.MAX_QUANTITY) {
        throw new IllegalArgumentException("defaultLowStockThreshold must be between 0 and "
            + Checks.MAX_QUANTITY + ", was " + threshold);
      }
      this.defaultLowStockThreshold = threshold;
      return this;
    }

    /** How far above its threshold stock must rise before an alert resolves itself. */
    public Builder alertHysteresis(long hysteresis) {
      if (hysteresis < 0 || hysteresis > Checks.MAX_QUANTITY) {
        throw new IllegalArgumentException("alertHysteresis must be between 0 and " + Checks.MAX_QUANTITY
            + ", was " + hysteresis);
      }
      this.alertHysteresis = hysteresis;
      return this;
    }

    public Builder alertDeliveryPolicy(AlertDeliveryPolicy policy) {
      this.deliveryPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * @throws IllegalStateException if no store was given, or sinks were given without an executor
     */
    public InventoryEngine build() {
      if (store == null) {
        throw new IllegalStateException("an InventoryEngine needs a store: call store(new InMemoryStockStore()) "
            + "or pass a JDBC or Redis store");
      }
      if (!sinks.isEmpty() && alertExecutor == null) {
        throw new IllegalStateException("alert sinks need an executor: call alertExecutor(ScheduledExecutorService); "
            + "the engine never starts threads of its own");
      }
      return new InventoryEngine(this);
    }
  }
}
