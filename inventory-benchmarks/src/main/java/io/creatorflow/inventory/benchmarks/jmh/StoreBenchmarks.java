package io.creatorflow.inventory.benchmarks.jmh;

import io.creatorflow.inventory.Adjustment;
import io.creatorflow.inventory.HistoryQuery;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.OperationResult;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderLine;
import io.creatorflow.inventory.Page;
import io.creatorflow.inventory.Reservation;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.benchmarks.BenchStores;
import io.creatorflow.inventory.benchmarks.Options;
import io.creatorflow.inventory.benchmarks.StoreKind;
import io.creatorflow.inventory.internal.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Engine operations per store, as throughput: a one-unit reservation of one hot SKU (all threads on
 * the same SKU) and of SKUs spread over 256, an adjustment, and the first page of a SKU's history of
 * 1,000 movements. Every reservation is a new order with its own ledger row, order record and
 * idempotency record, exactly as in production.
 *
 * <p>Stores: {@code memory}, {@code h2} (file in a temporary directory), {@code postgresql}, {@code
 * mariadb}, {@code redis}, at the runner's defaults; override with {@code -Dbench.postgres-url=...},
 * {@code -Dbench.mariadb-url=...}, {@code -Dbench.redis-url=...}. A store that cannot be reached
 * fails its trial with the reason (JMH carries on with the other parameters). The in-memory and Redis
 * stores start empty every iteration (their data would otherwise fill the heap or Redis); JDBC
 * tables ({@code jmh_*}) are re-created at the start of every fork.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx4g"})
public class StoreBenchmarks {
  static final int SPREAD = 256;
  static final int HISTORY = 1_000;

  @Param({"memory", "h2", "postgresql", "mariadb", "redis"})
  public String store;

  private StoreKind kind;
  private Options options;
  private BenchStores.Opened opened;
  private InventoryEngine engine;
  private TenantId tenant;
  private Sku hot;
  private Sku[] spread;
  private TenantId historyTenant;
  private final Sku historySku = Sku.of("HISTORY");
  private final AtomicInteger threadIds = new AtomicInteger();

  /** Per thread: its own order-id prefix and counter. */
  @State(Scope.Thread)
  public static class Orders {
    String prefix;
    long next;

    @Setup(Level.Iteration)
    public void setUp(StoreBenchmarks b) {
      prefix = "o-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-" + b.threadIds.incrementAndGet()
          + "-";
      next = 0;
    }

    OrderId next() {
      return OrderId.of(prefix + next++);
    }
  }

  @Setup(Level.Trial)
  public void openStore() throws Exception {
    kind = StoreKind.parse(store);
    options = Options.parse(new String[] {
        "--postgres-url", System.getProperty("bench.postgres-url", Options.DEFAULT_POSTGRES_URL),
        "--mariadb-url", System.getProperty("bench.mariadb-url", Options.DEFAULT_MARIADB_URL),
        "--redis-url", System.getProperty("bench.redis-url", Options.DEFAULT_REDIS_URL)});
    if (!perIteration()) {
      open();
    }
  }

  /** The in-memory and Redis stores are re-opened (empty) every iteration. */
  private boolean perIteration() {
    return kind == StoreKind.MEMORY || kind == StoreKind.REDIS;
  }

  private void open() throws Exception {
    try {
      opened = BenchStores.open(kind, options, kind == StoreKind.REDIS ? "jmh" : "jmh_");
    } catch (BenchStores.Unreachable e) {
      throw new IllegalStateException("store " + store + " skipped: " + e.getMessage(), e);
    }
    engine = InventoryEngine.builder().store(opened.store()).build();
    historyTenant = TenantId.of("jmh-history-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    engine.register(ItemDefinition.builder(historyTenant, historySku).name("History").build());
    for (int i = 0; i < HISTORY; i++) {
      engine.adjust(Adjustment.of(historyTenant, historySku, 1, "receipt " + i).withType(MovementType.IN));
    }
  }

  @Setup(Level.Iteration)
  public void freshTenant() throws Exception {
    if (perIteration()) {
      open();
    }
    tenant = TenantId.of("jmh-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    hot = Sku.of("HOT");
    engine.register(ItemDefinition.builder(tenant, hot).name("Hot SKU").build());
    engine.adjust(Adjustment.of(tenant, hot, Checks.MAX_QUANTITY, "stock").withType(MovementType.IN));
    List<Sku> skus = new ArrayList<>();
    for (int i = 0; i < SPREAD; i++) {
      Sku sku = Sku.of("SPREAD-" + i);
      engine.register(ItemDefinition.builder(tenant, sku).name("Spread " + i).build());
      engine.adjust(Adjustment.of(tenant, sku, Checks.MAX_QUANTITY, "stock").withType(MovementType.IN));
      skus.add(sku);
    }
    spread = skus.toArray(new Sku[0]);
  }

  @TearDown(Level.Iteration)
  public void closePerIteration() throws Exception {
    if (perIteration() && opened != null) {
      opened.close();
      opened = null;
    }
  }

  @TearDown(Level.Trial)
  public void closeStore() throws Exception {
    if (opened != null) {
      opened.close();
    }
  }

  /** Every thread reserves one unit of the same SKU. */
  @Benchmark
  @Threads(8)
  public OperationResult reserveHotSku(Orders orders) {
    return engine.reserve(Reservation.of(tenant, orders.next(), OrderLine.of(hot, 1)));
  }

  /** Each reservation takes one unit of one of 256 SKUs, chosen at random. */
  @Benchmark
  @Threads(8)
  public OperationResult reserveSpreadSkus(Orders orders) {
    Sku sku = spread[ThreadLocalRandom.current().nextInt(SPREAD)];
    return engine.reserve(Reservation.of(tenant, orders.next(), OrderLine.of(sku, 1)));
  }

  /** An adjustment (one unit out, with a reason) of one of 256 SKUs, chosen at random. */
  @Benchmark
  @Threads(8)
  public OperationResult adjust() {
    Sku sku = spread[ThreadLocalRandom.current().nextInt(SPREAD)];
    return engine.adjust(Adjustment.of(tenant, sku, -1, "damaged in storage"));
  }

  /** The first page (50 rows, newest first) of a SKU's history of 1,000 movements. */
  @Benchmark
  @Threads(4)
  public Page<Movement> history() {
    return engine.history(historyTenant, HistoryQuery.of(historySku));
  }
}
