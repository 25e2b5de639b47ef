package io.creatorflow.inventory.testkit;

import io.creatorflow.inventory.Adjustment;
import io.creatorflow.inventory.ConflictException;
import io.creatorflow.inventory.InsufficientStockException;
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
import io.creatorflow.inventory.Reservation;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockCount;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.TenantId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Hammers a few hot SKUs from many threads (and, for shared stores, through several engine
 * instances on several store instances) with mixed operations, then checks that nothing was
 * oversold or lost:
 *
 * <ul>
 *   <li>every invariant of {@link InventoryInvariants} (no oversell, reserved within on hand, the
 *       ledger replays to the balances, one open alert per SKU and kind, open alerts matching the
 *       final stock);
 *   <li>every movement a caller was told about is in the ledger with the same values, the ledger
 *       holds no movement no caller was told about, and the movements add up to the final levels;
 *   <li>every idempotency key applied exactly once, and every caller that used it got the same
 *       movements back;
 *   <li>every reservation all-or-nothing: a reserved order has one RESERVE row per line, an order
 *       whose reservation failed has none, and each SKU's reserved quantity is the sum of its
 *       still-reserved orders' lines.
 * </ul>
 *
 * <pre>{@code
 * ConcurrencyHarness.on(tenant, Settings.fromSystemProperties(), engineA, engineB)
 *     .mixedOperations()
 *     .assertNoViolations();
 * }</pre>
 *
 * <p>Workers choose their operations from a {@link Random} seeded with {@link Settings#seed()} and
 * their index, so the operation mix is reproducible; the interleaving is not, and no check depends
 * on it. Every scenario registers its own SKUs (prefixed with the scenario's name), so scenarios can
 * share a tenant. A harness is used by one test thread; its workers are threads it starts and joins.
 */
public final class ConcurrencyHarness {
  /** How long a scenario's workers may run before the harness gives up on them. */
  private static final long WORKER_TIMEOUT_MINUTES = 10;

  private final TenantId tenant;
  private final Settings settings;
  private final List<InventoryEngine> engines;

  private ConcurrencyHarness(TenantId tenant, Settings settings, List<InventoryEngine> engines) {
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    this.settings = Objects.requireNonNull(settings, "settings");
    if (engines.isEmpty()) {
      throw new IllegalArgumentException("the harness needs at least one engine");
    }
    this.engines = List.copyOf(engines);
  }

  /**
   * A harness for {@code tenant}. Worker {@code i} uses {@code engines[i % engines.length]}: pass
   * engines on several store instances sharing one database to test several service instances.
   */
  public static ConcurrencyHarness on(TenantId tenant, Settings settings, InventoryEngine... engines) {
    return new ConcurrencyHarness(tenant, settings, List.of(engines));
  }

  /** As {@link #on(TenantId, Settings, InventoryEngine...)}. */
  public static ConcurrencyHarness on(TenantId tenant, Settings settings, List<InventoryEngine> engines) {
    return new ConcurrencyHarness(tenant, settings, engines);
  }

  /** The sizes this harness runs with. */
  public Settings settings() {
    return settings;
  }

  // ------------------------------------------------------------------------------ scenarios

  /**
   * The scenario of issue 2: every worker hammers one hot SKU with reservations, cancellations and
   * stock adjustments in both directions, with only a little stock, so that most reservations race
   * for the last units.
   */
  public Report hotSkuReserveCancelAdjust() {
    Run run = new Run("hot-sku");
    Sku hot = run.register("hot", 5, false, settings.threads());
    run.workers((worker, random) -> {
      List<OrderId> mine = new ArrayList<>();
      for (int op = 0; op < settings.operationsPerThread(); op++) {
        int dice = random.nextInt(10);
        if (dice < 5) {
          run.reserve(worker, List.of(OrderLine.of(hot, 1 + random.nextInt(3))), null).ifPresent(mine::add);
        } else if (dice < 8 && !mine.isEmpty()) {
          run.cancel(worker, mine.remove(random.nextInt(mine.size())), null);
        } else {
          long delta = random.nextBoolean() ? 1 + random.nextInt(3) : -(1 + random.nextInt(2));
          run.adjust(worker, hot, delta, null);
        }
      }
    });
    return run.verify();
  }

  /**
   * Every operation on {@link Settings#hotSkus()} hot SKUs (one of them allowing backorders): single
   * and multi-line reservations, cancellations, fulfilments, returns with and without restock,
   * adjustments, compare-and-set counts, and adjustments under idempotency keys that every worker
   * repeats.
   */
  public Report mixedOperations() {
    Run run = new Run("mixed");
    List<Sku> hot = new ArrayList<>();
    for (int i = 0; i < settings.hotSkus(); i++) {
      boolean backorder = settings.hotSkus() > 1 && i == settings.hotSkus() - 1;
      hot.add(run.register("sku" + i, 3 + i, backorder, 2L * settings.threads()));
    }
    int sharedKeys = Math.max(4, settings.operationsPerThread() / 10);
    run.workers((worker, random) -> {
      List<OrderId> reserved = new ArrayList<>();
      List<OrderId> fulfilled = new ArrayList<>();
      for (int op = 0; op < settings.operationsPerThread(); op++) {
        int dice = random.nextInt(100);
        if (dice < 30) {
          int lines = 1 + random.nextInt(Math.min(3, hot.size()));
          List<Sku> shuffled = new ArrayList<>(hot);
          Collections.shuffle(shuffled, random);
          List<OrderLine> orderLines = new ArrayList<>();
          for (int l = 0; l < lines; l++) {
            orderLines.add(OrderLine.of(shuffled.get(l), 1 + random.nextInt(3)));
          }
          run.reserve(worker, orderLines, null).ifPresent(reserved::add);
        } else if (dice < 42 && !reserved.isEmpty()) {
          run.cancel(worker, reserved.remove(random.nextInt(reserved.size())), null);
        } else if (dice < 57 && !reserved.isEmpty()) {
          OrderId id = reserved.remove(random.nextInt(reserved.size()));
          if (run.fulfil(worker, id, null)) {
            fulfilled.add(id);
          }
        } else if (dice < 65 && !fulfilled.isEmpty()) {
          OrderId id = fulfilled.get(random.nextInt(fulfilled.size()));
          Order order = worker.order(tenant, id);
          OrderLine line = order.lines().get(random.nextInt(order.lines().size()));
          run.returnItems(worker, id, OrderLine.of(line.sku(), 1), random.nextBoolean());
        } else if (dice < 83) {
          Sku sku = hot.get(random.nextInt(hot.size()));
          long delta = random.nextInt(3) > 0 ? 1 + random.nextInt(4) : -(1 + random.nextInt(3));
          run.adjust(worker, sku, delta, null);
        } else if (dice < 90) {
          run.count(worker, hot.get(random.nextInt(hot.size())), random.nextInt(3) - 1);
        } else {
          int k = random.nextInt(sharedKeys);
          run.adjust(worker, hot.get(k % hot.size()), 1, "mixed-shared-" + k);
        }
      }
    });
    return run.verify();
  }

  /**
   * Rounds in which every worker fires the same request at the same moment (behind a barrier):
   * a keyed adjustment, a keyed reservation, an unkeyed reservation of one order id, a keyed
   * fulfilment, an unkeyed cancellation and a keyed return. Each must apply exactly once; every
   * other caller gets a replay (or, for an unkeyed cancellation, a conflict).
   */
  public Report sameRequestFromManyThreads() {
    Run run = new Run("same-request");
    Sku sku = run.register("sku", 2, false, 1_000_000);
    int rounds = Math.max(2, Math.min(60, settings.operationsPerThread() / 5));
    CyclicBarrier barrier = new CyclicBarrier(settings.threads());
    run.workers((worker, random) -> {
      for (int round = 0; round < rounds; round++) {
        OrderId order = OrderId.of("same-request-" + round);
        OrderId keyed = OrderId.of("same-request-keyed-" + round);
        run.await(barrier);
        run.adjust(worker, sku, 1, "same-request-adjust-" + round);
        run.await(barrier);
        run.reserve(worker, order, List.of(OrderLine.of(sku, 2)), null);
        run.reserve(worker, keyed, List.of(OrderLine.of(sku, 3)), "same-request-reserve-" + round);
        run.await(barrier);
        run.fulfil(worker, keyed, "same-request-fulfil-" + round);
        run.cancel(worker, order, null);
        run.await(barrier);
        run.returnItems(worker, keyed, OrderLine.of(sku, 1), true, "same-request-return-" + round);
      }
    });
    Report report = run.verify();
    List<String> extra = new ArrayList<>(report.violations());
    for (int round = 0; round < rounds; round++) {
      String cancelled = "same-request-" + round;
      long cancels = run.successes.getOrDefault("cancel " + cancelled, new AtomicLong()).get();
      if (cancels != 1) {
        extra.add("order " + cancelled + " was cancelled " + cancels + " times by unkeyed concurrent cancels, not once");
      }
    }
    return new Report(report.scenario(), report.settings(), report.operations(), report.outcomes(), extra);
  }

  /**
   * Sizes of the concurrency tests.
   *
   * @param threads worker threads per scenario
   * @param operationsPerThread operations each worker performs
   * @param hotSkus how many SKUs the workers fight over
   * @param seed the seed every worker's random choices derive from
   */
  public record Settings(int threads, int operationsPerThread, int hotSkus, long seed) {
    /** Turns on soak sizes: {@code -Dinventory.testkit.soak=true}. */
    public static final String SOAK_PROPERTY = "inventory.testkit.soak";
    /** Overrides the thread count: {@code -Dinventory.testkit.threads=N}. */
    public static final String THREADS_PROPERTY = "inventory.testkit.threads";
    /** Overrides operations per thread: {@code -Dinventory.testkit.operations=N}. */
    public static final String OPERATIONS_PROPERTY = "inventory.testkit.operations";
    /** Overrides the seed: {@code -Dinventory.testkit.seed=N}. */
    public static final String SEED_PROPERTY = "inventory.testkit.seed";

    /** The CI-friendly default seed. */
    public static final long DEFAULT_SEED = 20250101L;

    /** @throws IllegalArgumentException if a size is out of range */
    public Settings {
      if (threads < 1 || threads > 1024) {
        throw new IllegalArgumentException("threads must be between 1 and 1024, was " + threads);
      }
      if (operationsPerThread < 1) {
        throw new IllegalArgumentException("operationsPerThread must be positive, was " + operationsPerThread);
      }
      if (hotSkus < 1 || hotSkus > 64) {
        throw new IllegalArgumentException("hotSkus must be between 1 and 64, was " + hotSkus);
      }
    }

    /** 16 threads, 150 operations each, 3 hot SKUs: a few seconds on two cores in memory. */
    public static Settings ciDefaults() {
      return new Settings(16, 150, 3, DEFAULT_SEED);
    }

    /** 64 threads, 5,000 operations each, 3 hot SKUs: for soak runs. */
    public static Settings soak() {
      return new Settings(64, 5_000, 3, DEFAULT_SEED);
    }

    /**
     * {@link #ciDefaults()}, or {@link #soak()} with {@code -Dinventory.testkit.soak=true}, then
     * {@code inventory.testkit.threads}, {@code inventory.testkit.operations} and {@code
     * inventory.testkit.seed} override single values.
     */
    public static Settings fromSystemProperties() {
      Settings base = Boolean.getBoolean(SOAK_PROPERTY) ? soak() : ciDefaults();
      return new Settings(
          intProperty(THREADS_PROPERTY, base.threads),
          intProperty(OPERATIONS_PROPERTY, base.operationsPerThread),
          base.hotSkus,
          longProperty(SEED_PROPERTY, base.seed));
    }

    /** These settings with another thread count. */
    public Settings withThreads(int threads) {
      return new Settings(threads, operationsPerThread, hotSkus, seed);
    }

    /** These settings with another number of operations per thread. */
    public Settings withOperationsPerThread(int operations) {
      return new Settings(threads, operations, hotSkus, seed);
    }

    /** These settings with another number of hot SKUs. */
    public Settings withHotSkus(int hotSkus) {
      return new Settings(threads, operationsPerThread, hotSkus, seed);
    }

    /** These settings with another seed. */
    public Settings withSeed(long seed) {
      return new Settings(threads, operationsPerThread, hotSkus, seed);
    }

    /** Whether {@code -Dinventory.testkit.soak=true} is set. */
    public static boolean soakRequested() {
      return Boolean.getBoolean(SOAK_PROPERTY);
    }

    private static int intProperty(String name, int fallback) {
      String v = System.getProperty(name);
      if (v == null || v.isBlank()) {
        return fallback;
      }
      try {
        return Integer.parseInt(v.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("system property " + name + " must be an integer, was '" + v + "'", e);
      }
    }

    private static long longProperty(String name, long fallback) {
      String v = System.getProperty(name);
      if (v == null || v.isBlank()) {
        return fallback;
      }
      try {
        return Long.parseLong(v.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("system property " + name + " must be an integer, was '" + v + "'", e);
      }
    }

    @Override
    public String toString() {
      return "Settings[threads=" + threads + ", operationsPerThread=" + operationsPerThread + ", hotSkus=" + hotSkus
          + ", seed=" + seed + "]";
    }
  }


  // ------------------------------------------------------------------------------ the run

  /** One scenario's bookkeeping; filled concurrently by the workers. */
  private final class Run {
    final String name;
    final Map<Sku, StockLevel> before = new LinkedHashMap<>();
    final Map<Sku, Boolean> backorder = new LinkedHashMap<>();
    final Set<Long> ledgerBefore = new HashSet<>();
    final ConcurrentLinkedQueue<Movement> observed = new ConcurrentLinkedQueue<>();
    final ConcurrentHashMap<String, List<OperationResult>> keyed = new ConcurrentHashMap<>();
    final ConcurrentHashMap<OrderId, List<OrderLine>> reservedOrders = new ConcurrentHashMap<>();
    final Set<OrderId> attemptedOrders = ConcurrentHashMap.newKeySet();
    final ConcurrentHashMap<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, AtomicLong> successes = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    final AtomicLong operations = new AtomicLong();
    final AtomicLong orderIds = new AtomicLong();

    Run(String name) {
      this.name = name;
    }

    InventoryEngine engine0() {
      return engines.get(0);
    }

    Sku register(String suffix, long threshold, boolean allowBackorder, long openingStock) {
      Sku sku = Sku.of(name + "-" + suffix);
      InventoryEngine e = engine0();
      e.register(ItemDefinition.builder(tenant, sku).name(name + " " + suffix).lowStockThreshold(threshold)
          .allowBackorder(allowBackorder).build());
      if (openingStock > 0) {
        e.adjust(new Adjustment(tenant, sku, openingStock, MovementType.IN, "harness opening stock", "harness", null, null));
      }
      before.put(sku, e.level(tenant, sku));
      backorder.put(sku, allowBackorder);
      e.store().forEachMovement(tenant, sku, m -> ledgerBefore.add(m.id()));
      return sku;
    }

    void workers(Worker body) {
      int n = settings.threads();
      List<Thread> threads = new ArrayList<>(n);
      CyclicBarrier start = new CyclicBarrier(n);
      for (int i = 0; i < n; i++) {
        InventoryEngine engine = engines.get(i % engines.size());
        Random random = new Random(settings.seed() * 1_000_003L + i);
        Thread t = new Thread(() -> {
          try {
            start.await(WORKER_TIMEOUT_MINUTES, TimeUnit.MINUTES);
            body.run(engine, random);
          } catch (Throwable e) {
            violations.add("worker " + Thread.currentThread().getName() + " died: " + describe(e));
          }
        }, "harness-" + name + "-" + i);
        t.setDaemon(true);
        threads.add(t);
      }
      threads.forEach(Thread::start);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(WORKER_TIMEOUT_MINUTES);
      for (Thread t : threads) {
        try {
          t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for the harness workers", e);
        }
        if (t.isAlive()) {
          threads.forEach(Thread::interrupt);
          throw new AssertionError("harness worker " + t.getName() + " did not finish within "
              + WORKER_TIMEOUT_MINUTES + " minutes: a deadlock or a hanging store");
        }
      }
    }

    void await(CyclicBarrier barrier) {
      try {
        barrier.await(WORKER_TIMEOUT_MINUTES, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted at a barrier", e);
      } catch (BrokenBarrierException | TimeoutException e) {
        throw new IllegalStateException("a barrier broke: another worker failed", e);
      }
    }

    private void count(String outcome) {
      outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
    }

    private void applied(String what, OperationResult result, @Nullable String key) {
      if (key != null) {
        keyed.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add(result);
      }
      if (!result.replayed()) {
        observed.addAll(result.movements());
        successes.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
        count(what.split(" ")[0] + " applied");
      } else {
        count(what.split(" ")[0] + " replayed");
      }
    }

    private void unexpected(String what, Throwable e) {
      violations.add(what + " failed unexpectedly: " + describe(e));
    }

    java.util.Optional<OrderId> reserve(InventoryEngine engine, List<OrderLine> lines, @Nullable String key) {
      OrderId id = OrderId.of(name + "-o" + orderIds.incrementAndGet());
      return reserve(engine, id, lines, key) ? java.util.Optional.of(id) : java.util.Optional.empty();
    }

    boolean reserve(InventoryEngine engine, OrderId id, List<OrderLine> lines, @Nullable String key) {
      operations.incrementAndGet();
      attemptedOrders.add(id);
      Reservation r = new Reservation(tenant, id, lines, "harness", key);
      try {
        OperationResult result = engine.reserve(r);
        applied("reserve " + id, result, key == null ? "implicit:" + id : key);
        if (!result.replayed()) {
          List<OrderLine> previous = reservedOrders.put(id, r.lines());
          if (previous != null) {
            violations.add("order " + id + " was reserved twice without a replay");
          }
          if (result.movements().size() != r.lines().size()) {
            violations.add("reservation of " + id + " with " + r.lines().size() + " lines returned "
                + result.movements().size() + " movements");
          }
        }
        return true;
      } catch (InsufficientStockException e) {
        count("reserve insufficient");
        return false;
      } catch (RuntimeException e) {
        unexpected("reserve " + id, e);
        return false;
      }
    }

    void cancel(InventoryEngine engine, OrderId id, @Nullable String key) {
      operations.incrementAndGet();
      try {
        applied("cancel " + id, engine.cancel(new OrderCommand(tenant, id, "harness cancel", "harness", key)), key);
      } catch (ConflictException e) {
        expectConflict("cancel", e, ConflictException.Reason.ORDER_STATE, ConflictException.Reason.CONCURRENT_MODIFICATION);
      } catch (RuntimeException e) {
        unexpected("cancel " + id, e);
      }
    }

    boolean fulfil(InventoryEngine engine, OrderId id, @Nullable String key) {
      operations.incrementAndGet();
      try {
        OperationResult result = engine.fulfil(new OrderCommand(tenant, id, "harness fulfil", "harness", key));
        applied("fulfil " + id, result, key);
        return true;
      } catch (ConflictException e) {
        expectConflict("fulfil", e, ConflictException.Reason.ORDER_STATE, ConflictException.Reason.CONCURRENT_MODIFICATION);
      } catch (InsufficientStockException e) {
        count("fulfil insufficient");
      } catch (RuntimeException e) {
        unexpected("fulfil " + id, e);
      }
      return false;
    }

    void returnItems(InventoryEngine engine, OrderId id, OrderLine line, boolean restock) {
      returnItems(engine, id, line, restock, null);
    }

    void returnItems(InventoryEngine engine, OrderId id, OrderLine line, boolean restock, @Nullable String key) {
      operations.incrementAndGet();
      try {
        OrderReturn r = new OrderReturn(tenant, id, List.of(line), restock, "harness return", "harness", key);
        applied("return " + id, engine.returnItems(r), key);
      } catch (ConflictException e) {
        expectConflict("return", e, ConflictException.Reason.RETURN_EXCEEDS_FULFILLED,
            ConflictException.Reason.CONCURRENT_MODIFICATION, ConflictException.Reason.ORDER_STATE);
      } catch (RuntimeException e) {
        unexpected("return " + id, e);
      }
    }

    void adjust(InventoryEngine engine, Sku sku, long delta, @Nullable String key) {
      operations.incrementAndGet();
      try {
        Adjustment a = new Adjustment(tenant, sku, delta, MovementType.ADJUSTMENT, "harness adjust", "harness", null, key);
        applied("adjust " + sku, engine.adjust(a), key);
      } catch (InsufficientStockException e) {
        count("adjust insufficient");
      } catch (RuntimeException e) {
        unexpected("adjust " + sku, e);
      }
    }

    void count(InventoryEngine engine, Sku sku, long change) {
      operations.incrementAndGet();
      try {
        StockLevel seen = engine.level(tenant, sku);
        long target = Math.max(0, seen.onHand() + change);
        applied("count " + sku, engine.setOnHand(
            new StockCount(tenant, sku, seen.onHand(), target, "harness count", "harness", null)), null);
      } catch (ConflictException e) {
        expectConflict("count", e, ConflictException.Reason.EXPECTED_QUANTITY_MISMATCH);
      } catch (InsufficientStockException e) {
        count("count insufficient");
      } catch (RuntimeException e) {
        unexpected("count " + sku, e);
      }
    }

    private void expectConflict(String op, ConflictException e, ConflictException.Reason... allowed) {
      for (ConflictException.Reason r : allowed) {
        if (e.reason() == r) {
          count(op + " conflict " + r);
          return;
        }
      }
      unexpected(op, e);
    }

    Report verify() {
      InventoryEngine e = engine0();
      List<String> problems = new ArrayList<>(violations);
      problems.addAll(InventoryInvariants.violations(e, tenant));

      // Every movement a caller saw is in the ledger, unchanged; nothing else is; they add up.
      Map<Long, Movement> seen = new HashMap<>();
      for (Movement m : observed) {
        Movement previous = seen.put(m.id(), m);
        if (previous != null) {
          problems.add("two applied operations returned the same movement id " + m.id() + ": " + previous + " and " + m);
        }
      }
      Map<String, List<Movement>> byReference = new HashMap<>();
      for (Sku sku : before.keySet()) {
        List<Movement> ledger = new ArrayList<>();
        e.store().forEachMovement(tenant, sku, ledger::add);
        StockLevel start = before.get(sku);
        long onHand = start.onHand();
        long reserved = start.reserved();
        int rows = 0;
        for (Movement m : ledger) {
          if (ledgerBefore.contains(m.id())) {
            continue;
          }
          rows++;
          Movement told = seen.remove(m.id());
          if (told == null) {
            problems.add("sku '" + sku + "': the ledger holds movement " + m.id() + " that no caller was told about: " + m);
          } else if (!told.equals(m)) {
            problems.add("sku '" + sku + "': movement " + m.id() + " differs between the ledger " + m + " and the caller's result " + told);
          }
          onHand += m.onHandDelta();
          reserved += m.reservedDelta();
          if (m.reference() != null) {
            byReference.computeIfAbsent(m.reference() + " " + m.type(), k -> new ArrayList<>()).add(m);
          }
        }
        StockLevel end = e.level(tenant, sku);
        if (end.onHand() != onHand || end.reserved() != reserved) {
          problems.add("sku '" + sku + "': the scenario's " + rows + " ledger rows take it from " + start.onHand() + "/"
              + start.reserved() + " to " + onHand + "/" + reserved + " (on hand/reserved), but it is at "
              + end.onHand() + "/" + end.reserved());
        }
      }
      for (Movement lost : seen.values()) {
        if (before.containsKey(lost.sku())) {
          problems.add("movement " + lost.id() + " was returned to a caller but is not in the ledger: " + lost);
        }
      }

      // Idempotency: one application per key, the same movements for every caller.
      for (Map.Entry<String, List<OperationResult>> k : keyed.entrySet()) {
        List<OperationResult> results;
        synchronized (k.getValue()) {
          results = List.copyOf(k.getValue());
        }
        long applied = results.stream().filter(r -> !r.replayed()).count();
        if (applied > 1) {
          problems.add("idempotency key '" + k.getKey() + "' was applied " + applied + " times");
        }
        if (applied == 1) {
          List<Long> original = ids(results.stream().filter(r -> !r.replayed()).findFirst().orElseThrow());
          for (OperationResult r : results) {
            if (r.replayed() && !r.movements().isEmpty() && !ids(r).equals(original)) {
              problems.add("a replay of key '" + k.getKey() + "' returned movements " + ids(r) + ", not the original " + original);
            }
          }
        }
      }

      // All-or-nothing reservations, and reserved = the lines of still-reserved orders.
      Map<Sku, Long> expectedReserved = new TreeMap<>();
      for (Sku sku : before.keySet()) {
        expectedReserved.put(sku, before.get(sku).reserved());
      }
      for (OrderId id : attemptedOrders) {
        List<Movement> reserveRows = byReference.getOrDefault("order:" + id.value() + " " + MovementType.RESERVE, List.of());
        java.util.Optional<Order> order = e.store().order(tenant, id);
        List<OrderLine> lines = reservedOrders.get(id);
        if (lines == null) {
          if (!reserveRows.isEmpty()) {
            problems.add("order " + id + " was never reserved, but the ledger holds RESERVE rows for it: " + reserveRows);
          }
          if (order.isPresent()) {
            problems.add("order " + id + " was never reserved, but the store holds it: " + order.get());
          }
          continue;
        }
        if (reserveRows.size() != lines.size()) {
          problems.add("order " + id + " has " + lines.size() + " lines but " + reserveRows.size() + " RESERVE rows: " + reserveRows);
        }
        for (OrderLine line : lines) {
          long rowQty = reserveRows.stream().filter(m -> m.sku().equals(line.sku())).mapToLong(Movement::quantity).sum();
          if (rowQty != line.quantity()) {
            problems.add("order " + id + " reserved " + rowQty + " of " + line.sku() + " in the ledger, not " + line.quantity());
          }
        }
        if (order.isEmpty()) {
          problems.add("order " + id + " was reserved but the store does not hold it");
        } else if (order.get().status() == OrderStatus.RESERVED) {
          for (OrderLine line : order.get().lines()) {
            expectedReserved.merge(line.sku(), line.quantity(), Long::sum);
          }
        }
      }
      for (Map.Entry<Sku, Long> r : expectedReserved.entrySet()) {
        long actual = e.level(tenant, r.getKey()).reserved();
        if (actual != r.getValue()) {
          problems.add("sku '" + r.getKey() + "': reserved is " + actual + " but the still-reserved orders hold " + r.getValue());
        }
      }
      Map<String, Long> counts = new TreeMap<>();
      outcomes.forEach((k, v) -> counts.put(k, v.get()));
      return new Report(name, settings, operations.get(), counts, problems);
    }
  }

  private static List<Long> ids(OperationResult result) {
    return result.movements().stream().map(Movement::id).toList();
  }

  private static String describe(Throwable e) {
    StackTraceElement[] trace = e.getStackTrace();
    return e + (trace.length > 0 ? " at " + trace[0] : "");
  }

  @FunctionalInterface
  private interface Worker {
    void run(InventoryEngine engine, Random random) throws Exception;
  }

  /**
   * What a scenario did and what went wrong.
   *
   * @param scenario the scenario's name
   * @param settings the sizes it ran with
   * @param operations operations the workers attempted
   * @param outcomes how often each outcome happened (applied, replayed, insufficient, conflicts)
   * @param violations every broken invariant; empty when the store held up
   */
  public record Report(String scenario, Settings settings, long operations, Map<String, Long> outcomes, List<String> violations) {
    /** Copies the outcomes (sorted by name) and the violations. */
    public Report {
      outcomes = Collections.unmodifiableMap(new TreeMap<>(outcomes));
      violations = List.copyOf(violations);
    }

    /**
     * Throws if anything went wrong.
     *
     * @throws AssertionError listing every violation (the first 50) and the outcome counts
     */
    public Report assertNoViolations() {
      if (!violations.isEmpty()) {
        List<String> shown = violations.size() > 50 ? violations.subList(0, 50) : violations;
        throw new AssertionError("scenario '" + scenario + "' with " + settings + " broke " + violations.size()
            + " invariant(s):\n  - " + String.join("\n  - ", shown) + "\noutcomes: " + outcomes);
      }
      return this;
    }

    /** How often an outcome (such as {@code "reserve applied"}) happened. */
    public long count(String outcome) {
      return outcomes.getOrDefault(outcome, 0L);
    }
  }
}
