package io.creatorflow.inventory.testkit;

import io.creatorflow.inventory.Adjustment;
import io.creatorflow.inventory.Alert;
import io.creatorflow.inventory.AlertKind;
import io.creatorflow.inventory.CatalogQuery;
import io.creatorflow.inventory.ConflictException;
import io.creatorflow.inventory.HistoryQuery;
import io.creatorflow.inventory.InsufficientStockException;
import io.creatorflow.inventory.InvalidRequestException;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.OperationResult;
import io.creatorflow.inventory.Order;
import io.creatorflow.inventory.OrderCommand;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderLine;
import io.creatorflow.inventory.OrderReturn;
import io.creatorflow.inventory.OrderStatus;
import io.creatorflow.inventory.PageRequest;
import io.creatorflow.inventory.Reservation;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockCount;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.StockStatus;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.UnknownAlertException;
import io.creatorflow.inventory.UnknownOrderException;
import io.creatorflow.inventory.UnknownSkuException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import org.jspecify.annotations.Nullable;

/**
 * The stateful property test behind {@link StockStoreCompatibilityKit}'s jqwik properties: random
 * sequences of every engine operation, bad inputs included, applied to an engine on the store
 * under test and to a simple single-threaded reference model, compared after every step. Written
 * from the design notes, not from the engine's code, so it checks the engine and the store
 * together.
 */
final class ModelCheck {
  /**
   * The registered SKUs, in SKU order: A has plenty, B little (and the engine's default threshold),
   * C allows backorders, D has almost nothing, so that multi-line orders often fail on a later line.
   * {@code GHOST} is never registered.
   */
  static final List<String> REGISTERED = List.of("A", "B", "C", "D");
  /** Threshold per registered SKU; {@code null}: the engine default. */
  private static final Map<String, Long> THRESHOLDS = new HashMap<>();
  private static final Map<String, Long> OPENING = Map.of("A", 8L, "B", 4L, "C", 0L, "D", 1L);

  static {
    THRESHOLDS.put("A", 3L);
    THRESHOLDS.put("B", null);
    THRESHOLDS.put("C", 2L);
    THRESHOLDS.put("D", 1L);
  }

  private static final String BACKORDER_SKU = "C";

  /** With {@code -Dinventory.testkit.debug=true}, prints every applied step (to tune the generator). */
  static final String DEBUG_PROPERTY = "inventory.testkit.debug";

  private ModelCheck() {}

  // ------------------------------------------------------------------------------ operations

  /** One step of a sequence; its {@code toString} is what a shrunk failure shows. */
  sealed interface Op permits Adjust, Count, Reserve, Fulfil, Cancel, Return, ReturnLine, SetThreshold, ResolveAlert,
      BadRequest {}

  record Line(String sku, long qty) {
    @Override
    public String toString() {
      return qty + "x" + sku;
    }
  }

  record Adjust(String sku, long delta, @Nullable String key) implements Op {}

  /** A compare-and-set count; {@code expectedOffset} is added to the true on hand (0: a fresh read). */
  record Count(String sku, long expectedOffset, long newOnHand, @Nullable String key) implements Op {}

  record Reserve(int order, List<Line> lines, @Nullable String key) implements Op {}

  record Fulfil(int order, @Nullable String key) implements Op {}

  record Cancel(int order, @Nullable String key) implements Op {}

  record Return(int order, List<Line> lines, boolean restock, @Nullable String key) implements Op {}

  /**
   * A return of {@code qty} of the order's {@code line}-th line (by SKU order, modulo its line count);
   * of SKU A if the order does not exist. Resolved against the model when it runs, so that random
   * sequences return goods that were actually sold.
   */
  record ReturnLine(int order, int line, long qty, boolean restock, @Nullable String key) implements Op {}

  record SetThreshold(String sku, @Nullable Long threshold) implements Op {}

  record ResolveAlert(String sku, AlertKind kind) implements Op {}

  /** A malformed request: the engine must refuse it and change nothing. */
  record BadRequest(String what) implements Op {}

  static final List<String> BAD_REQUESTS = List.of(
      "zero adjustment", "reserved key prefix", "empty reservation", "zero quantity line", "negative count",
      "blank reason", "control character in sku", "return without lines");

  static Arbitrary<List<Op>> operations(int maxSteps) {
    Arbitrary<String> sku = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.just("A")),
        net.jqwik.api.Tuple.of(3, Arbitraries.just("B")),
        net.jqwik.api.Tuple.of(3, Arbitraries.just("C")),
        net.jqwik.api.Tuple.of(3, Arbitraries.just("D")),
        net.jqwik.api.Tuple.of(1, Arbitraries.just("GHOST")));
    Arbitrary<String> key = Arbitraries.of("k0", "k1", "k2").injectNull(0.7);
    Arbitrary<Integer> order = Arbitraries.integers().between(0, 3);
    Arbitrary<Line> line = Combinators.combine(sku, Arbitraries.longs().between(1, 4)).as(Line::new);
    Arbitrary<Op> adjust = Combinators.combine(sku, Arbitraries.longs().between(-6, 8).filter(d -> d != 0), key)
        .as(Adjust::new);
    Arbitrary<Op> count = Combinators.combine(sku, Arbitraries.of(0L, 0L, 0L, 1L, -1L), Arbitraries.longs().between(0, 12), key)
        .as(Count::new);
    Arbitrary<Op> reserve = Combinators.combine(order, line.list().ofMinSize(1).ofMaxSize(3), key).as(Reserve::new);
    Arbitrary<Op> fulfil = Combinators.combine(order, key).as(Fulfil::new);
    Arbitrary<Op> cancel = Combinators.combine(order, key).as(Cancel::new);
    Arbitrary<Line> returnLine = Combinators.combine(sku, Arbitraries.longs().between(1, 2)).as(Line::new);
    Arbitrary<Op> ret = Combinators.combine(order, returnLine.list().ofMinSize(1).ofMaxSize(2), Arbitraries.of(true, false), key)
        .as(Return::new);
    Arbitrary<Op> returnLineOp = Combinators.combine(order, Arbitraries.integers().between(0, 2),
        Arbitraries.longs().between(1, 3), Arbitraries.of(true, false), key).as(ReturnLine::new);
    Arbitrary<Op> threshold = Combinators.combine(sku, Arbitraries.longs().between(0, 8).injectNull(0.2)).as(SetThreshold::new);
    Arbitrary<Op> resolve = Combinators.combine(sku, Arbitraries.of(AlertKind.class)).as(ResolveAlert::new);
    Arbitrary<Op> bad = Arbitraries.of(BAD_REQUESTS).map(BadRequest::new);
    Arbitrary<Op> op = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, adjust),
        net.jqwik.api.Tuple.of(2, count),
        net.jqwik.api.Tuple.of(6, reserve),
        net.jqwik.api.Tuple.of(4, fulfil),
        net.jqwik.api.Tuple.of(3, cancel),
        net.jqwik.api.Tuple.of(2, ret),
        net.jqwik.api.Tuple.of(4, returnLineOp),
        net.jqwik.api.Tuple.of(1, threshold),
        net.jqwik.api.Tuple.of(1, resolve),
        net.jqwik.api.Tuple.of(1, bad));
    // Uniform lengths: jqwik's default size bias would make most sequences a handful of steps long.
    return op.list().ofMinSize(1).ofMaxSize(maxSteps).withSizeDistribution(RandomDistribution.uniform());
  }

  // ------------------------------------------------------------------------------ expected outcomes

  /** What the model says a step must do. */
  sealed interface Outcome permits Applied, Replayed, Failed {}

  /** Applied, with these movements (ids unknown until the store assigns them). */
  record Applied(List<ExpectedMovement> movements) implements Outcome {}

  /** A replay returning exactly these movement ids. */
  record Replayed(List<Long> movementIds) implements Outcome {}

  /** Refused with this exception type (and conflict reason). */
  record Failed(Class<? extends RuntimeException> type, ConflictException.@Nullable Reason reason) implements Outcome {
    static Failed of(Class<? extends RuntimeException> type) {
      return new Failed(type, null);
    }

    static Failed conflict(ConflictException.Reason reason) {
      return new Failed(ConflictException.class, reason);
    }
  }

  record ExpectedMovement(String sku, MovementType type, long quantity, long onHandBefore, long onHandAfter,
      long reservedBefore, long reservedAfter) {}

  // ------------------------------------------------------------------------------ the model

  private static final class SkuState {
    final boolean backorder;
    @Nullable Long threshold;
    long onHand;
    long reserved;
    boolean lowOpen;
    boolean outOpen;

    SkuState(@Nullable Long threshold, boolean backorder) {
      this.threshold = threshold;
      this.backorder = backorder;
    }

    long available() {
      return onHand - reserved;
    }
  }

  private record OrderState(OrderStatus status, Map<String, Long> lines, Map<String, Long> returned) {}

  private record KeyRecord(String request, List<Long> movementIds) {}

  /** A planned quantity change of one SKU. */
  private record Change(String sku, MovementType type, long quantity, long onHandDelta, long reservedDelta) {}

  /** The reference model: single-threaded, in plain maps, following the design notes. */
  static final class Model {
    private final long defaultThreshold;
    private final long hysteresis;
    private final Map<String, SkuState> skus = new TreeMap<>();
    private final Map<Integer, OrderState> orders = new HashMap<>();
    private final Map<String, KeyRecord> keys = new HashMap<>();
    private long movements;

    Model(long defaultThreshold, long hysteresis) {
      this.defaultThreshold = defaultThreshold;
      this.hysteresis = hysteresis;
    }

    long threshold(SkuState s) {
      return s.threshold != null ? s.threshold : defaultThreshold;
    }

    /** The guard of the design notes, written independently of {@code LineChange.check}. */
    private static boolean allowed(SkuState s, long onHandDelta, long reservedDelta) {
      long onHand = s.onHand + onHandDelta;
      long reserved = s.reserved + reservedDelta;
      if (reserved < 0) {
        return false;
      }
      if (onHandDelta < 0 && onHand < 0) {
        return false;
      }
      long availableBefore = s.available();
      long availableAfter = onHand - reserved;
      return s.backorder || availableAfter >= 0 || availableAfter >= availableBefore;
    }

    private void alerts(SkuState s) {
      long available = s.available();
      long threshold = threshold(s);
      if (s.lowOpen && available > threshold + hysteresis) {
        s.lowOpen = false;
      } else if (!s.lowOpen && available > 0 && available <= threshold) {
        s.lowOpen = true;
      }
      if (s.outOpen && available > hysteresis) {
        s.outOpen = false;
      } else if (!s.outOpen && available <= 0) {
        s.outOpen = true;
      }
    }

    /** Checks the changes (sorted by SKU) and, if allowed, the outcome; does not apply them. */
    private Outcome plan(List<Change> changes) {
      for (Change c : changes) {
        if (!skus.containsKey(c.sku())) {
          return Failed.of(UnknownSkuException.class);
        }
      }
      for (Change c : changes) {
        if (!allowed(skus.get(c.sku()), c.onHandDelta(), c.reservedDelta())) {
          return Failed.of(InsufficientStockException.class);
        }
      }
      List<ExpectedMovement> out = new ArrayList<>();
      for (Change c : changes) {
        SkuState s = skus.get(c.sku());
        out.add(new ExpectedMovement(c.sku(), c.type(), c.quantity(), s.onHand, s.onHand + c.onHandDelta(), s.reserved,
            s.reserved + c.reservedDelta()));
      }
      return new Applied(out);
    }

    private void apply(List<Change> changes) {
      for (Change c : changes) {
        SkuState s = skus.get(c.sku());
        s.onHand += c.onHandDelta();
        s.reserved += c.reservedDelta();
        movements++;
        alerts(s);
      }
    }

    private @Nullable Outcome keyed(@Nullable String key, String request) {
      if (key == null) {
        return null;
      }
      KeyRecord record = keys.get(key);
      if (record == null) {
        return null;
      }
      return record.request().equals(request) ? new Replayed(record.movementIds())
          : Failed.conflict(ConflictException.Reason.IDEMPOTENCY_KEY_REUSED);
    }

    static Map<String, Long> merge(List<Line> lines) {
      Map<String, Long> merged = new TreeMap<>();
      for (Line l : lines) {
        merged.merge(l.sku(), l.qty(), Long::sum);
      }
      return merged;
    }
  }

  // ------------------------------------------------------------------------------ running a sequence

  /** Runs sequences against engines on the store under test. One instance per sequence. */
  static final class Runner {
    private final List<InventoryEngine> engines;
    private final TenantId tenant;
    private final MutableClock clock;
    private final Model model;
    private final List<String> trace = new ArrayList<>();
    private boolean resolvedByHand;

    Runner(List<InventoryEngine> engines, TenantId tenant, MutableClock clock) {
      this.engines = List.copyOf(engines);
      this.tenant = tenant;
      this.clock = clock;
      InventoryEngine first = engines.get(0);
      this.model = new Model(first.alertRule().defaultThreshold(), first.alertRule().hysteresis());
    }

    /** Registers the catalog and books the opening stock, in the engine and in the model. */
    void setUp() {
      InventoryEngine e = engines.get(0);
      for (String sku : REGISTERED) {
        Long threshold = THRESHOLDS.get(sku);
        boolean backorder = sku.equals(BACKORDER_SKU);
        e.register(ItemDefinition.builder(tenant, Sku.of(sku)).name("model " + sku).lowStockThreshold(threshold)
            .allowBackorder(backorder).build());
        SkuState s = new SkuState(threshold, backorder);
        model.skus.put(sku, s);
        long opening = OPENING.get(sku);
        if (opening > 0) {
          e.adjust(Adjustment.of(tenant, Sku.of(sku), opening, "opening stock").withType(MovementType.IN));
          s.onHand = opening;
          model.movements++;
          model.alerts(s);
        }
      }
      checkState("after setting up");
    }

    void run(List<Op> ops) {
      for (int i = 0; i < ops.size(); i++) {
        Op op = ops.get(i);
        clock.advance(Duration.ofSeconds(1));
        InventoryEngine engine = engines.get(i % engines.size());
        trace.add("#" + (i + 1) + " " + op + (engines.size() > 1 ? " via engine " + (i % engines.size() + 1) : ""));
        step(engine, op);
        checkState("after step #" + (i + 1) + " " + op);
      }
    }

    private AssertionError failure(String message) {
      return new AssertionError(message + "\nsteps so far:\n  " + String.join("\n  ", trace));
    }

    private static OrderId orderId(int order) {
      return OrderId.of("o" + order);
    }

    private void step(InventoryEngine engine, Op op) {
      if (op instanceof Adjust a) {
        String request = "adjust|" + a.sku() + "|" + a.delta();
        Outcome expected = model.keyed(a.key(), request);
        List<Change> changes = List.of(new Change(a.sku(), MovementType.ADJUSTMENT, Math.abs(a.delta()), a.delta(), 0));
        if (expected == null) {
          expected = model.plan(changes);
        }
        check(op, expected, () -> engine.adjust(
            new Adjustment(tenant, Sku.of(a.sku()), a.delta(), MovementType.ADJUSTMENT, "model adjust", "model", null, a.key())),
            changes, a.key(), request, null);
      } else if (op instanceof Count c) {
        SkuState s = model.skus.get(c.sku());
        long actual = s == null ? 0 : s.onHand;
        long expectedOnHand = actual + c.expectedOffset();
        if (expectedOnHand < 0) {
          check(op, Failed.of(InvalidRequestException.class), () -> engine.setOnHand(
              StockCount.of(tenant, Sku.of(c.sku()), expectedOnHand, c.newOnHand(), "model count")), List.of(), null, "", null);
          return;
        }
        String request = "count|" + c.sku() + "|" + expectedOnHand + "|" + c.newOnHand();
        long delta = c.newOnHand() - expectedOnHand;
        List<Change> changes = List.of(new Change(c.sku(), MovementType.ADJUSTMENT, Math.abs(delta), delta, 0));
        Outcome expected = model.keyed(c.key(), request);
        if (expected == null) {
          if (s == null) {
            expected = Failed.of(UnknownSkuException.class);
          } else if (s.onHand != expectedOnHand) {
            expected = Failed.conflict(ConflictException.Reason.EXPECTED_QUANTITY_MISMATCH);
          } else {
            expected = model.plan(changes);
          }
        }
        check(op, expected, () -> engine.setOnHand(new StockCount(tenant, Sku.of(c.sku()), expectedOnHand, c.newOnHand(),
            "model count", "model", c.key())), changes, c.key(), request, null);
      } else if (op instanceof Reserve r) {
        Map<String, Long> lines = Model.merge(r.lines());
        String request = "reserve|" + r.order() + "|" + lines;
        String key = r.key() != null ? r.key() : "sys:reserve:o" + r.order();
        List<Change> changes = new ArrayList<>();
        lines.forEach((sku, qty) -> changes.add(new Change(sku, MovementType.RESERVE, qty, 0, qty)));
        Outcome expected = model.keyed(key, request);
        if (expected != null && r.key() == null && expected instanceof Failed) {
          // The order was reserved before (under the implicit key) with other lines.
          expected = Failed.conflict(ConflictException.Reason.ORDER_STATE);
        }
        OrderState existing = model.orders.get(r.order());
        if (expected == null && existing != null) {
          expected = existing.lines().equals(lines) ? new Replayed(List.of())
              : Failed.conflict(ConflictException.Reason.ORDER_STATE);
        }
        if (expected == null) {
          expected = model.plan(changes);
        }
        List<OrderLine> orderLines = r.lines().stream().map(l -> OrderLine.of(l.sku(), l.qty())).toList();
        check(op, expected, () -> engine.reserve(new Reservation(tenant, orderId(r.order()), orderLines, "model", r.key())),
            changes, key, request, new OrderState(OrderStatus.RESERVED, lines, Map.of()));
        if (expected instanceof Applied) {
          model.orders.put(r.order(), new OrderState(OrderStatus.RESERVED, lines, Map.of()));
        }
      } else if (op instanceof Fulfil f) {
        transition(engine, op, f.order(), f.key(), "fulfil|" + f.order(), true);
      } else if (op instanceof Cancel c) {
        transition(engine, op, c.order(), c.key(), "cancel|" + c.order(), false);
      } else if (op instanceof Return r) {
        returnItems(engine, r);
      } else if (op instanceof ReturnLine rl) {
        OrderState state = model.orders.get(rl.order());
        String sku = "A";
        if (state != null) {
          List<String> skus = List.copyOf(state.lines().keySet());
          sku = skus.get(rl.line() % skus.size());
        }
        returnItems(engine, new Return(rl.order(), List.of(new Line(sku, rl.qty())), rl.restock(), rl.key()));
      } else if (op instanceof SetThreshold t) {
        SkuState s = model.skus.get(t.sku());
        ItemDefinition def = ItemDefinition.builder(tenant, Sku.of(t.sku())).name("model " + t.sku())
            .lowStockThreshold(t.threshold()).allowBackorder(t.sku().equals(BACKORDER_SKU)).build();
        if (s == null) {
          expectFailure(op, Failed.of(UnknownSkuException.class), () -> engine.updateItem(def));
        } else {
          engine.updateItem(def);
          s.threshold = t.threshold();
          model.alerts(s);
        }
      } else if (op instanceof ResolveAlert ra) {
        SkuState s = model.skus.get(ra.sku());
        boolean open = s != null && (ra.kind() == AlertKind.LOW_STOCK ? s.lowOpen : s.outOpen);
        if (!open) {
          expectFailure(op, Failed.of(UnknownAlertException.class), () -> engine.resolveAlert(tenant, -1, "model"));
          return;
        }
        Alert alert = engine.openAlerts(tenant, Sku.of(ra.sku())).stream().filter(a -> a.kind() == ra.kind()).findFirst()
            .orElseThrow(() -> failure(op + ": the model has an open " + ra.kind() + " alert but the engine has none"));
        Alert resolved = engine.resolveAlert(tenant, alert.id(), "model");
        if (resolved.isOpen() || !"model".equals(resolved.resolvedBy())) {
          throw failure(op + ": resolving alert " + alert.id() + " returned " + resolved);
        }
        resolvedByHand = true;
        if (ra.kind() == AlertKind.LOW_STOCK) {
          s.lowOpen = false;
        } else {
          s.outOpen = false;
        }
      } else if (op instanceof BadRequest b) {
        expectFailure(op, Failed.of(InvalidRequestException.class), () -> badRequest(engine, b.what()));
      } else {
        throw new IllegalStateException("unknown operation " + op);
      }
    }

    private Object badRequest(InventoryEngine engine, String what) {
      Sku a = Sku.of("A");
      switch (what) {
        case "zero adjustment":
          return engine.adjust(Adjustment.of(tenant, a, 0, "nothing"));
        case "reserved key prefix":
          return engine.adjust(Adjustment.of(tenant, a, 1, "sys key").withIdempotencyKey("sys:mine"));
        case "empty reservation":
          return engine.reserve(Reservation.of(tenant, orderId(0), List.of()));
        case "zero quantity line":
          return engine.reserve(Reservation.of(tenant, orderId(0), OrderLine.of(a, 0)));
        case "negative count":
          return engine.setOnHand(StockCount.of(tenant, a, 0, -1, "negative"));
        case "blank reason":
          return engine.adjust(Adjustment.of(tenant, a, 1, "  "));
        case "control character in sku":
          return engine.adjust(Adjustment.of(tenant, Sku.of("A\u0007"), 1, "bell"));
        case "return without lines":
          return engine.returnItems(OrderReturn.of(tenant, orderId(0), true));
        default:
          throw new IllegalStateException("unknown bad request " + what);
      }
    }

    private void transition(InventoryEngine engine, Op op, int order, @Nullable String key, String request, boolean fulfil) {
      Outcome expected = model.keyed(key, request);
      OrderState state = model.orders.get(order);
      List<Change> changes = new ArrayList<>();
      if (expected == null) {
        if (state == null) {
          expected = Failed.of(UnknownOrderException.class);
        } else if (state.status() != OrderStatus.RESERVED) {
          expected = Failed.conflict(ConflictException.Reason.ORDER_STATE);
        } else {
          state.lines().forEach((sku, qty) -> changes.add(fulfil
              ? new Change(sku, MovementType.OUT, qty, -qty, -qty)
              : new Change(sku, MovementType.RELEASE, qty, 0, -qty)));
          expected = model.plan(changes);
        }
      }
      OrderCommand command = new OrderCommand(tenant, orderId(order), null, "model", key);
      OrderState after = state == null ? null
          : new OrderState(fulfil ? OrderStatus.FULFILLED : OrderStatus.CANCELLED, state.lines(), Map.of());
      check(op, expected, () -> fulfil ? engine.fulfil(command) : engine.cancel(command), changes, key, request, after);
      if (expected instanceof Applied) {
        model.orders.put(order, after);
      }
    }

    private void returnItems(InventoryEngine engine, Return r) {
      Map<String, Long> lines = Model.merge(r.lines());
      String request = "return|" + r.order() + "|" + lines + "|" + r.restock();
      Outcome expected = model.keyed(r.key(), request);
      OrderState state = model.orders.get(r.order());
      List<Change> changes = new ArrayList<>();
      Map<String, Long> returned = new TreeMap<>();
      if (expected == null) {
        if (state == null) {
          expected = Failed.of(UnknownOrderException.class);
        } else if (state.status() != OrderStatus.FULFILLED) {
          expected = Failed.conflict(ConflictException.Reason.ORDER_STATE);
        } else {
          returned.putAll(state.returned());
          for (Map.Entry<String, Long> line : lines.entrySet()) {
            long sold = state.lines().getOrDefault(line.getKey(), 0L);
            long before = returned.getOrDefault(line.getKey(), 0L);
            if (before + line.getValue() > sold) {
              expected = Failed.conflict(ConflictException.Reason.RETURN_EXCEEDS_FULFILLED);
              break;
            }
            returned.put(line.getKey(), before + line.getValue());
            if (r.restock()) {
              changes.add(new Change(line.getKey(), MovementType.IN, line.getValue(), line.getValue(), 0));
            }
          }
          if (expected == null) {
            expected = model.plan(changes);
          }
        }
      }
      List<OrderLine> orderLines = r.lines().stream().map(l -> OrderLine.of(l.sku(), l.qty())).toList();
      OrderState after = state == null ? null : new OrderState(OrderStatus.FULFILLED, state.lines(), Map.copyOf(returned));
      check(r, expected, () -> engine.returnItems(
          new OrderReturn(tenant, orderId(r.order()), orderLines, r.restock(), "model return", "model", r.key())),
          changes, r.key(), request, after);
      if (expected instanceof Applied) {
        model.orders.put(r.order(), after);
      }
    }

    private void expectFailure(Op op, Failed expected, Supplier<?> action) {
      try {
        Object result = action.get();
        throw failure(op + ": expected " + describe(expected) + " but it succeeded with " + result);
      } catch (RuntimeException e) {
        matchFailure(op, expected, e);
      }
    }

    private void matchFailure(Op op, Failed expected, RuntimeException e) {
      if (!expected.type().isInstance(e)
          || (expected.reason() != null && !(e instanceof ConflictException ce && ce.reason() == expected.reason()))) {
        AssertionError error = failure(op + ": expected " + describe(expected) + " but got " + e);
        error.initCause(e);
        throw error;
      }
    }

    private static String describe(Outcome o) {
      if (o instanceof Failed f) {
        return f.type().getSimpleName() + (f.reason() == null ? "" : " " + f.reason());
      }
      return o.toString();
    }

    private void check(Op op, Outcome expected, Supplier<OperationResult> action, List<Change> changes,
        @Nullable String key, String request, @Nullable OrderState orderAfter) {
      OperationResult result;
      try {
        result = action.get();
      } catch (RuntimeException e) {
        if (expected instanceof Failed f) {
          matchFailure(op, f, e);
          return;
        }
        AssertionError error = failure(op + ": expected " + describe(expected) + " but got " + e);
        error.initCause(e);
        throw error;
      }
      if (expected instanceof Failed f) {
        throw failure(op + ": expected " + describe(f) + " but it succeeded with " + result);
      }
      if (expected instanceof Replayed replay) {
        List<Long> ids = result.movements().stream().map(Movement::id).toList();
        if (!result.replayed() || !ids.equals(replay.movementIds())) {
          throw failure(op + ": expected a replay of movements " + replay.movementIds() + " but got " + result);
        }
        return;
      }
      Applied applied = (Applied) expected;
      if (result.replayed()) {
        throw failure(op + ": expected it to apply " + applied.movements() + " but it was a replay: " + result);
      }
      if (result.movements().size() != applied.movements().size()) {
        throw failure(op + ": expected movements " + applied.movements() + " but got " + result.movements());
      }
      for (int i = 0; i < applied.movements().size(); i++) {
        ExpectedMovement want = applied.movements().get(i);
        Movement got = result.movements().get(i);
        ExpectedMovement actual = new ExpectedMovement(got.sku().value(), got.type(), got.quantity(), got.onHandBefore(),
            got.onHandAfter(), got.reservedBefore(), got.reservedAfter());
        if (!want.equals(actual) || !got.tenant().equals(tenant) || !got.occurredAt().equals(clock.instant())
            || !Objects.equals(got.idempotencyKey(), key)) {
          throw failure(op + ": movement " + (i + 1) + " should be " + want + " (key " + key + ", at " + clock.instant()
              + ") but is " + got);
        }
      }
      if (orderAfter != null) {
        Order order = result.order();
        if (order == null || order.status() != orderAfter.status() || !toMap(order.lines()).equals(orderAfter.lines())
            || !toMap(order.returned()).equals(orderAfter.returned())) {
          throw failure(op + ": the order should be " + orderAfter + " but is " + order);
        }
      }
      model.apply(changes);
      if (Boolean.getBoolean(DEBUG_PROPERTY)) {
        System.out.println("applied " + op);
      }
      if (key != null) {
        model.keys.put(key, new KeyRecord(request, result.movements().stream().map(Movement::id).toList()));
      }
    }

    private static Map<String, Long> toMap(List<OrderLine> lines) {
      Map<String, Long> m = new TreeMap<>();
      lines.forEach(l -> m.put(l.sku().value(), l.quantity()));
      return m;
    }

    /** Compares everything the engine reports with the model, and checks every invariant. */
    void checkState(String when) {
      InventoryEngine e = engines.get(0);
      for (Map.Entry<String, SkuState> entry : model.skus.entrySet()) {
        SkuState s = entry.getValue();
        for (InventoryEngine engine : engines) {
          StockLevel level = engine.level(tenant, Sku.of(entry.getKey()));
          if (level.onHand() != s.onHand || level.reserved() != s.reserved) {
            throw failure(when + ": sku " + entry.getKey() + " should be on hand " + s.onHand + ", reserved " + s.reserved
                + " but the store says " + level);
          }
        }
      }
      TreeSet<String> expectedAlerts = new TreeSet<>();
      model.skus.forEach((sku, s) -> {
        if (s.lowOpen) {
          expectedAlerts.add(sku + " " + AlertKind.LOW_STOCK);
        }
        if (s.outOpen) {
          expectedAlerts.add(sku + " " + AlertKind.OUT_OF_STOCK);
        }
      });
      List<String> openList = e.openAlerts(tenant).stream().map(a -> a.sku() + " " + a.kind()).sorted().toList();
      if (!openList.equals(List.copyOf(expectedAlerts))) {
        throw failure(when + ": open alerts should be " + expectedAlerts + " but are " + openList);
      }
      for (Map.Entry<Integer, OrderState> o : model.orders.entrySet()) {
        Order order = e.order(tenant, orderId(o.getKey()));
        if (order.status() != o.getValue().status() || !toMap(order.returned()).equals(o.getValue().returned())) {
          throw failure(when + ": order o" + o.getKey() + " should be " + o.getValue() + " but is " + order);
        }
      }
      long ledgerRows = e.history(tenant, HistoryQuery.all().withPage(PageRequest.first(1))).total();
      if (ledgerRows != model.movements) {
        throw failure(when + ": the ledger should hold " + model.movements + " movements but holds " + ledgerRows);
      }
      long outOfStock = model.skus.values().stream().filter(s -> s.available() <= 0).count();
      long found = e.find(tenant, CatalogQuery.all().withStatus(StockStatus.OUT_OF_STOCK)).total();
      if (found != outOfStock) {
        throw failure(when + ": " + outOfStock + " SKUs are out of stock but find() reports " + found);
      }
      List<String> violations = InventoryInvariants.violations(e, tenant, resolvedByHand);
      if (!violations.isEmpty()) {
        throw failure(when + ": invariants violated: " + violations);
      }
    }
  }
}
