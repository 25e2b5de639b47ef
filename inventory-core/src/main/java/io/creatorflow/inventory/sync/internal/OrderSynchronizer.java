package io.creatorflow.inventory.sync.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.ConflictException;
import io.creatorflow.inventory.InsufficientStockException;
import io.creatorflow.inventory.InvalidRequestException;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.OperationResult;
import io.creatorflow.inventory.Order;
import io.creatorflow.inventory.OrderCommand;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderLine;
import io.creatorflow.inventory.OrderReturn;
import io.creatorflow.inventory.OrderStatus;
import io.creatorflow.inventory.Reservation;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.UnknownOrderException;
import io.creatorflow.inventory.UnknownSkuException;
import io.creatorflow.inventory.spi.ShopClient.OrderState;
import io.creatorflow.inventory.spi.ShopClient.ShopOrder;
import io.creatorflow.inventory.spi.ShopClient.ShopOrderLine;
import io.creatorflow.inventory.sync.OrderPolicy;
import io.creatorflow.inventory.sync.OrderSyncResult;
import io.creatorflow.inventory.sync.OrderSyncResult.Outcome;
import io.creatorflow.inventory.sync.ShopReturn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;

/**
 * Drives engine orders to the state a shop reports, forward only and exactly once.
 *
 * <h2>State machine</h2>
 *
 * The engine order of shop order {@code X} is {@code channel + ":" + X}. Engine orders only move
 * {@code (none) -> RESERVED -> FULFILLED | CANCELLED}; a shop state asks for a target and only a
 * forward step is taken:
 *
 * <table>
 *   <caption>shop state (rows) against engine order (columns)</caption>
 *   <tr><th></th><th>none</th><th>RESERVED</th><th>FULFILLED</th><th>CANCELLED</th></tr>
 *   <tr><td>not paid / on hold</td><td>NOT_PAID</td><td>NO_CHANGE</td><td>NO_CHANGE</td><td>NO_CHANGE</td></tr>
 *   <tr><td>reserve state</td><td>reserve</td><td>NO_CHANGE</td><td>NO_CHANGE</td><td>NO_CHANGE</td></tr>
 *   <tr><td>fulfil state</td><td>reserve, fulfil</td><td>fulfil</td><td>NO_CHANGE</td><td>CONFLICT</td></tr>
 *   <tr><td>CANCELLED</td><td>NO_CHANGE</td><td>cancel</td><td>CONFLICT</td><td>NO_CHANGE</td></tr>
 * </table>
 *
 * Every step carries the idempotency key {@code channel:order:transition} (never {@code sys:}), so
 * the same step applied twice, concurrently or on another instance, changes stock once. Before a
 * step, the shop state is compared with the latest state applied for the order in this process (a
 * bounded memory): a shop state earlier in an order's life is {@link Outcome#STALE} and ignored, so a
 * late answer for an old state never reserves an order that was cancelled meanwhile. Steps for one
 * order are serialised in this process.
 *
 * Thread-safe.
 */
public final class OrderSynchronizer {
  /** Most orders one {@code orders(ids)} call is asked for. */
  public static final int FETCH_CHUNK = 50;
  private static final int STRIPES = 64;
  private static final int MAX_REASON = 200;

  private final TenantId tenant;
  private final String channel;
  private final InventoryEngine engine;
  private final LookupCache cache;
  private final ShopGateway gateway;
  private final OrderPolicy policy;
  private final SyncListeners listeners;
  private final String actor;
  private final Object[] stripes = new Object[STRIPES];
  private final Cache<String, Watermark> watermarks;
  private final AtomicLongArray counts = new AtomicLongArray(Outcome.values().length);

  /** The latest shop state applied for an order: its rank in an order's life and update time. */
  private record Watermark(int rank, OrderState state, Instant updatedAt) {
    Watermark max(Watermark other) {
      if (other.rank != rank) {
        return other.rank > rank ? other : this;
      }
      return other.updatedAt.isAfter(updatedAt) ? other : this;
    }
  }

  public OrderSynchronizer(
      TenantId tenant, InventoryEngine engine, LookupCache cache, ShopGateway gateway, OrderPolicy policy,
      SyncListeners listeners) {
    this.tenant = tenant;
    this.channel = gateway.channel();
    this.engine = engine;
    this.cache = cache;
    this.gateway = gateway;
    this.policy = policy;
    this.listeners = listeners;
    this.actor = "sync:" + channel;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Object();
    }
    this.watermarks = Caffeine.newBuilder().maximumSize(policy.orderMemory()).executor(Runnable::run).build();
  }

  /** The engine order id of a shop order. @throws InvalidRequestException if it cannot be one */
  public OrderId engineOrderId(String shopOrderId) {
    return OrderId.of(channel + ":" + shopOrderId);
  }

  /**
   * A shop order in a state that no step can leave: where in an order's life a state lies. Cancelled
   * orders never become anything else; unknown states have no rank.
   */
  static int rank(OrderState state) {
    switch (state) {
      case UNKNOWN:
        return -1;
      case CANCELLED:
        return 100;
      default:
        return state.ordinal();
    }
  }

  // ------------------------------------------------------------------------------------ entry points

  /**
   * A shop said order {@code shopOrderId} changed (a webhook): fetch it and drive the engine order.
   *
   * @param updateTime the change's time from the notification, or {@code null}; a notification older
   *     than a state applied already is answered {@link Outcome#STALE} without asking the shop
   */
  public OrderSyncResult onNotification(String shopOrderId, @Nullable Instant updateTime) {
    Watermark wm = watermarks.getIfPresent(shopOrderId);
    if (updateTime != null && wm != null && wm.updatedAt().isAfter(updateTime)) {
      return finish(result(shopOrderId, null, Outcome.STALE, null, List.of(),
          "a later state (" + wm.state() + " at " + wm.updatedAt() + ") was applied already"));
    }
    return sync(List.of(shopOrderId)).get(0);
  }

  /** Fetches orders ({@value #FETCH_CHUNK} per call) and drives each; one result per distinct id. */
  public List<OrderSyncResult> sync(Collection<String> shopOrderIds) {
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(shopOrderIds));
    List<OrderSyncResult> out = new ArrayList<>(ids.size());
    for (int from = 0; from < ids.size(); from += FETCH_CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + FETCH_CHUNK));
      List<ShopOrder> fetched;
      try {
        fetched = gateway.call("orders", () -> gateway.client().orders(List.copyOf(chunk)));
      } catch (RuntimeException e) {
        Outcome outcome = gateway.isRetryable(e) ? Outcome.FAILED : Outcome.INVALID;
        for (String id : chunk) {
          out.add(finish(result(id, null, outcome, null, List.of(), "fetching the order failed: " + ShopGateway.describe(e))));
        }
        continue;
      }
      Map<String, ShopOrder> byId = new HashMap<>();
      for (ShopOrder o : fetched) {
        byId.put(o.orderId(), o);
      }
      for (String id : chunk) {
        ShopOrder o = byId.get(id);
        out.add(o == null
            ? finish(result(id, null, Outcome.NOT_FOUND, null, List.of(), "the shop does not know the order"))
            : apply(o));
      }
    }
    return out;
  }

  /** Drives the engine order to an order state the caller fetched from the shop. */
  public OrderSyncResult apply(ShopOrder order) {
    return finish(applyQuietly(order));
  }

  private OrderSyncResult applyQuietly(ShopOrder o) {
    OrderId id;
    try {
      id = engineOrderId(o.orderId());
    } catch (InvalidRequestException e) {
      return result(o.orderId(), o.state(), Outcome.INVALID, null, List.of(), e.getMessage());
    }
    synchronized (stripe(o.orderId())) {
      int rank = rank(o.state());
      Watermark wm = watermarks.getIfPresent(o.orderId());
      if (wm != null && rank >= 0 && rank < wm.rank()) {
        return result(o.orderId(), o.state(), Outcome.STALE, null, List.of(),
            "the shop reported " + o.rawStatus() + " (updated " + o.updatedAt() + ") but " + wm.state()
                + " (updated " + wm.updatedAt() + ") was applied before");
      }
      OrderSyncResult r;
      try {
        r = drive(o, id);
      } catch (RuntimeException e) {
        r = failure(o, id, e);
      }
      if (r.outcome() != Outcome.FAILED && rank >= 0) {
        watermarks.asMap().merge(o.orderId(), new Watermark(rank, o.state(), o.updatedAt()), Watermark::max);
      }
      return r;
    }
  }

  /**
   * Applies a shop return: a completed one is recorded on the fulfilled engine order (restocked if
   * the policy says so), once per return id. An engine order that is not fulfilled yet is first
   * brought up to date from the shop.
   */
  public OrderSyncResult applyReturn(ShopReturn r) {
    if (policy.returns() == OrderPolicy.ReturnHandling.IGNORE) {
      return finish(result(r.orderId(), null, Outcome.IGNORED, null, List.of(), "returns are configured to be ignored"));
    }
    if (!r.completed()) {
      return finish(result(r.orderId(), null, Outcome.NO_CHANGE, null, List.of(),
          "return " + r.returnId() + " is not complete yet"));
    }
    OrderId id;
    try {
      id = engineOrderId(r.orderId());
    } catch (InvalidRequestException e) {
      return finish(result(r.orderId(), null, Outcome.INVALID, null, List.of(), e.getMessage()));
    }
    synchronized (stripe(r.orderId())) {
      try {
        return finish(applyReturnLocked(r, id));
      } catch (RuntimeException e) {
        return finish(result(r.orderId(), null, outcomeOf(e), null, List.of(),
            "return " + r.returnId() + ": " + ShopGateway.describe(e)));
      }
    }
  }

  private OrderSyncResult applyReturnLocked(ShopReturn r, OrderId id) {
    Order current = find(id);
    if (current == null || current.status() == OrderStatus.RESERVED) {
      OrderSyncResult driven = sync(List.of(r.orderId())).get(0);
      if (driven.outcome() == Outcome.FAILED) {
        return driven;
      }
      current = find(id);
    }
    if (current == null || current.status() != OrderStatus.FULFILLED) {
      return result(r.orderId(), null, Outcome.CONFLICT, current == null ? null : current.status(), List.of(),
          "return " + r.returnId() + " needs a fulfilled engine order, but it is "
              + (current == null ? "unknown" : current.status()));
    }
    Mapped m = mapLines(r.lines());
    if (m.lines().isEmpty()) {
      return result(r.orderId(), null, Outcome.UNMAPPED, current.status(), m.unmapped(),
          "no line of return " + r.returnId() + " maps to an engine SKU");
    }
    boolean restock = policy.returns() == OrderPolicy.ReturnHandling.RESTOCK;
    OrderReturn ret = new OrderReturn(tenant, id, m.lines(), restock, reason("shop return " + r.returnId()), actor,
        key(r.orderId(), "return:" + r.returnId()));
    try {
      OperationResult done = engine.returnItems(ret);
      return result(r.orderId(), null, done.replayed() ? Outcome.NO_CHANGE : Outcome.RETURNED,
          done.requireOrder().status(), m.unmapped(),
          (done.replayed() ? "return " + r.returnId() + " was recorded before" : "return " + r.returnId() + " recorded")
              + (restock ? ", restocked" : ", not restocked"));
    } catch (ConflictException e) {
      return result(r.orderId(), null, Outcome.CONFLICT, current.status(), m.unmapped(), e.getMessage());
    }
  }

  // ------------------------------------------------------------------------------------ steps

  private OrderSyncResult drive(ShopOrder o, OrderId id) {
    Order current = find(id);
    OrderState s = o.state();
    if (s == OrderState.CANCELLED) {
      return cancel(o, id, current);
    }
    if (policy.fulfils(s)) {
      return fulfil(o, id, current);
    }
    if (policy.reserves(s)) {
      return reserve(o, id, current);
    }
    if (s == OrderState.UNKNOWN) {
      return result(o, id, Outcome.UNKNOWN_STATE, current, List.of(),
          "the shop reported status '" + o.rawStatus() + "', which sync does not know; nothing changed");
    }
    return current == null
        ? result(o, id, Outcome.NOT_PAID, null, List.of(), "the order is " + o.rawStatus() + "; nothing to do yet")
        : result(o, id, Outcome.NO_CHANGE, current, List.of(),
            "the engine order is " + current.status() + " already; orders only move forward");
  }

  private OrderSyncResult reserve(ShopOrder o, OrderId id, @Nullable Order current) {
    if (current != null) {
      return result(o, id, Outcome.NO_CHANGE, current, List.of(), "the engine order is " + current.status() + " already");
    }
    Mapped m = map(o.lines());
    if (m.lines().isEmpty()) {
      return result(o, id, Outcome.UNMAPPED, null, m.unmapped(), o.lines().isEmpty()
          ? "the shop order has no lines" : "no line of the order maps to an engine SKU on " + channel);
    }
    Reservation reservation = new Reservation(tenant, id, m.lines(), actor, key(o.orderId(), "reserve"));
    try {
      OperationResult r;
      try {
        r = engine.reserve(reservation);
      } catch (UnknownSkuException e) {
        // The cached mapping named a SKU the store no longer has: map again from the store.
        for (ShopOrderLine line : o.lines()) {
          cache.invalidateShopSku(line.skuId());
        }
        m = map(o.lines());
        if (m.lines().isEmpty()) {
          return result(o, id, Outcome.UNMAPPED, null, m.unmapped(), "no line of the order maps to an engine SKU");
        }
        r = engine.reserve(new Reservation(tenant, id, m.lines(), actor, key(o.orderId(), "reserve")));
      }
      return result(o, id, r.replayed() ? Outcome.NO_CHANGE : Outcome.RESERVED, r.order(), m.unmapped(),
          r.replayed() ? "reserved before" : "reserved " + m.lines());
    } catch (InsufficientStockException e) {
      return result(o, id, Outcome.OVERSOLD, null, m.unmapped(), "the shop sold more than the engine has: "
          + e.getMessage());
    } catch (UnknownSkuException e) {
      return result(o, id, Outcome.UNMAPPED, null, m.unmapped(), e.getMessage());
    } catch (ConflictException e) {
      Order now = find(id);
      return result(o, id, Outcome.CONFLICT, now, m.unmapped(), e.getMessage());
    }
  }

  private OrderSyncResult fulfil(ShopOrder o, OrderId id, @Nullable Order current) {
    List<String> unmapped = List.of();
    if (current == null) {
      OrderSyncResult reserved = reserve(o, id, null);
      if (reserved.outcome() != Outcome.RESERVED && reserved.outcome() != Outcome.NO_CHANGE) {
        return reserved;
      }
      unmapped = reserved.unmappedSkuIds();
      current = find(id);
      if (current == null) {
        return result(o, id, Outcome.FAILED, null, unmapped, "the order vanished after its reservation");
      }
    }
    switch (current.status()) {
      case FULFILLED:
        return result(o, id, Outcome.NO_CHANGE, current, unmapped, "fulfilled already");
      case CANCELLED:
        return result(o, id, Outcome.CONFLICT, current, unmapped, "the shop reports " + o.rawStatus()
            + " for an order the engine cancelled; no stock moved");
      default:
        break;
    }
    try {
      OperationResult r = engine.fulfil(new OrderCommand(tenant, id, reason("shop order " + o.rawStatus()), actor,
          key(o.orderId(), "fulfil")));
      return result(o, id, r.replayed() ? Outcome.NO_CHANGE : Outcome.FULFILLED, r.order(), unmapped,
          r.replayed() ? "fulfilled before" : "fulfilled");
    } catch (ConflictException e) {
      Order now = find(id);
      if (now != null && now.status() == OrderStatus.FULFILLED) {
        return result(o, id, Outcome.NO_CHANGE, now, unmapped, "fulfilled concurrently");
      }
      return result(o, id, Outcome.CONFLICT, now, unmapped, e.getMessage());
    }
  }

  private OrderSyncResult cancel(ShopOrder o, OrderId id, @Nullable Order current) {
    if (current == null) {
      return result(o, id, Outcome.NO_CHANGE, null, List.of(), "the order was never reserved; nothing to release");
    }
    switch (current.status()) {
      case CANCELLED:
        return result(o, id, Outcome.NO_CHANGE, current, List.of(), "cancelled already");
      case FULFILLED:
        return result(o, id, Outcome.CONFLICT, current, List.of(), "the shop cancelled an order the engine fulfilled;"
            + " goods that come back are a return");
      default:
        break;
    }
    try {
      OperationResult r = engine.cancel(new OrderCommand(tenant, id, reason("shop order " + o.rawStatus()), actor,
          key(o.orderId(), "cancel")));
      return result(o, id, r.replayed() ? Outcome.NO_CHANGE : Outcome.CANCELLED, r.order(), List.of(),
          r.replayed() ? "cancelled before" : "reservation released");
    } catch (ConflictException e) {
      Order now = find(id);
      if (now != null && now.status() == OrderStatus.CANCELLED) {
        return result(o, id, Outcome.NO_CHANGE, now, List.of(), "cancelled concurrently");
      }
      return result(o, id, Outcome.CONFLICT, now, List.of(), e.getMessage());
    }
  }

  // ------------------------------------------------------------------------------------ helpers

  private record Mapped(List<OrderLine> lines, List<String> unmapped) {}

  private Mapped map(List<ShopOrderLine> lines) {
    List<ShopReturn.Line> plain = new ArrayList<>(lines.size());
    for (ShopOrderLine line : lines) {
      if (line.quantity() > 0) {
        plain.add(new ShopReturn.Line(line.skuId(), line.quantity()));
      }
    }
    return mapLines(plain);
  }

  private Mapped mapLines(List<ShopReturn.Line> lines) {
    List<OrderLine> mapped = new ArrayList<>(lines.size());
    List<String> unmapped = new ArrayList<>();
    for (ShopReturn.Line line : lines) {
      Optional<CatalogItem> item = cache.byShopSku(line.skuId());
      if (item.isPresent()) {
        mapped.add(new OrderLine(item.get().sku(), line.quantity()));
      } else if (!unmapped.contains(line.skuId())) {
        unmapped.add(line.skuId());
      }
    }
    return new Mapped(mapped.isEmpty() ? List.of() : OrderLine.normalize(mapped), unmapped);
  }

  private @Nullable Order find(OrderId id) {
    try {
      return engine.order(tenant, id);
    } catch (UnknownOrderException e) {
      return null;
    }
  }

  /** The idempotency key of one step: {@code channel:order:transition}. */
  private String key(String shopOrderId, String transition) {
    return channel + ":" + shopOrderId + ":" + transition;
  }

  private static String reason(String text) {
    return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON);
  }

  private Object stripe(String shopOrderId) {
    return stripes[Math.floorMod(shopOrderId.hashCode(), STRIPES)];
  }

  private static Outcome outcomeOf(RuntimeException e) {
    if (e instanceof InvalidRequestException) {
      return Outcome.INVALID;
    }
    return Outcome.FAILED;
  }

  private OrderSyncResult failure(ShopOrder o, OrderId id, RuntimeException e) {
    return result(o.orderId(), o.state(), outcomeOf(e), null, List.of(), ShopGateway.describe(e));
  }

  private OrderSyncResult result(
      ShopOrder o, OrderId id, Outcome outcome, @Nullable Order engineOrder, List<String> unmapped, String detail) {
    return new OrderSyncResult(channel, o.orderId(), id, o.state(), outcome,
        engineOrder == null ? null : engineOrder.status(), unmapped, detail);
  }

  private OrderSyncResult result(
      String shopOrderId, @Nullable OrderState state, Outcome outcome, @Nullable OrderStatus engineStatus,
      List<String> unmapped, @Nullable String detail) {
    OrderId id = null;
    try {
      id = engineOrderId(shopOrderId);
    } catch (InvalidRequestException e) {
      // leave it null: the shop id cannot be an engine order id
    }
    return new OrderSyncResult(channel, shopOrderId, id, state, outcome, engineStatus, unmapped,
        detail == null ? outcome.name() : detail);
  }

  private OrderSyncResult finish(OrderSyncResult r) {
    counts.incrementAndGet(r.outcome().ordinal());
    listeners.fire(l -> l.onOrderSynced(r));
    return r;
  }

  /** How many order syncs ended in each outcome. */
  public Map<Outcome, Long> counts() {
    Map<Outcome, Long> out = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) {
      long n = counts.get(o.ordinal());
      if (n > 0) {
        out.put(o, n);
      }
    }
    return out;
  }
}
