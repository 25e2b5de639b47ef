package io.creatorflow.inventory.benchmarks.scenarios;

import io.creatorflow.inventory.Adjustment;
import io.creatorflow.inventory.InsufficientStockException;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.LedgerReport;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderLine;
import io.creatorflow.inventory.Reservation;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.benchmarks.BenchStores;
import io.creatorflow.inventory.benchmarks.FlashSaleHarness;
import io.creatorflow.inventory.benchmarks.Options;
import io.creatorflow.inventory.benchmarks.Result;
import io.creatorflow.inventory.benchmarks.Scenario;
import io.creatorflow.inventory.benchmarks.StoreKind;
import io.creatorflow.inventory.benchmarks.baseline.SeedStyleReservations;
import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Flash sale: one hot SKU with {@code N} units, 64 buyers each reserving one unit after the other
 * until it is sold out. Per store: reservations per second (from the start until every buyer was
 * refused), p50/p99 latency of accepted reservations, units oversold (must be 0) and the ledger check
 * ({@link InventoryEngine#verifyLedger}). On PostgreSQL also the seed-style baseline ({@link
 * SeedStyleReservations}) in the same run, same database, same buyers.
 */
public final class FlashSaleScenario implements Scenario {
  /** Concurrent buyers. */
  public static final int BUYERS = 64;

  @Override
  public String name() {
    return "flash-sale";
  }

  /** Units on sale per store, by mode (smoke, quick, full). */
  static long units(Options o, StoreKind kind) {
    return switch (kind) {
      case MEMORY -> o.size(2_000, 1_000_000, 3_000_000);
      case REDIS -> o.size(2_000, 100_000, 300_000);
      case POSTGRESQL, MARIADB, H2 -> o.size(500, 20_000, 50_000);
    };
  }

  /** Units of the seed-style baseline's sale. */
  static long baselineUnits(Options o) {
    return o.size(200, 3_000, 6_000);
  }

  @Override
  public List<Result> run(Context ctx) throws Exception {
    Options o = ctx.options();
    List<Result> results = new ArrayList<>();
    for (StoreKind kind : o.stores()) {
      String prefix = "flash-sale/" + kind.label() + "/";
      Session session;
      try {
        session = new Session(kind, o);
      } catch (BenchStores.Unreachable e) {
        ctx.progress("flash-sale on %s skipped: %s", kind.label(), e.getMessage());
        for (String[] f : FIGURES) {
          results.add(Result.skipped(prefix + f[0], f[1], e.getMessage()));
        }
        continue;
      }
      try (session) {
        long units = units(o, kind);
        String description = session.opened.description();
        ctx.progress("flash-sale on %s (%s): warm-up", kind.label(), description);
        long warmupNanos = TimeUnit.SECONDS.toNanos(o.size(0, 3, 10));
        for (long t0 = System.nanoTime(); System.nanoTime() - t0 < warmupNanos; ) {
          sale(session.engineForSale(), tenant("warmup"), Math.max(500, units / 5));
        }
        List<Sale> sales = new ArrayList<>();
        for (int r = 0; r < repetitions(o); r++) {
          ctx.progress("flash-sale on %s: %,d units, %d buyers", kind.label(), units, BUYERS);
          sales.add(sale(session.engineForSale(), tenant("sale"), units));
        }
        Sale sdk = median(sales);
        ctx.progress("flash-sale on %s: %,.0f reservations/s, p99 %.2f ms, ledger %s", kind.label(), sdk.perSecond,
            sdk.p99, sdk.ledger.consistent() ? "consistent" : "INCONSISTENT " + sdk.ledger.discrepancies());
        String setting = String.format(java.util.Locale.ROOT, "%,d units, %d buyers; %s; %s", units, BUYERS,
            description, runs(sales));
        Baseline baseline = null;
        if (kind == StoreKind.POSTGRESQL) {
          baseline = baseline(ctx, o);
        }
        if (baseline == null) {
          results.add(Result.of(prefix + "throughput", sdk.perSecond, "reservations/s", setting + limit(kind)));
          results.add(Result.of(prefix + "p50", sdk.p50, "ms", null));
          results.add(Result.of(prefix + "p99", sdk.p99, "ms", null));
        } else {
          String vs = String.format(java.util.Locale.ROOT,
              "; baseline: seed-style SELECT FOR UPDATE + UPDATE + ledger INSERT per reservation, %,d units, %d"
                  + " buyers, own pool of %d, oversold %d, ledger rows %d of %d", baseline.units, BUYERS,
              BenchStores.POOL_SIZE, baseline.oversold, baseline.ledgerRows, baseline.accepted);
          results.add(Result.compared(prefix + "throughput", sdk.perSecond, baseline.perSecond, "reservations/s", true,
              setting + limit(kind) + vs));
          results.add(Result.compared(prefix + "p50", sdk.p50, baseline.p50, "ms", false, null));
          results.add(Result.compared(prefix + "p99", sdk.p99, baseline.p99, "ms", false, null));
        }
        long oversold = 0;
        long accepted = 0;
        long replayed = 0;
        boolean consistent = true;
        for (Sale sale : sales) {
          oversold += sale.oversold;
          accepted += sale.accepted;
          replayed += sale.ledger.movementsChecked();
          consistent &= sale.ledger.consistent();
        }
        results.add(Result.of(prefix + "oversold", oversold, "units", String.format(java.util.Locale.ROOT,
            "over %d measured sale(s): %,d reservations accepted for %,d units", sales.size(), accepted,
            units * sales.size())));
        results.add(Result.of(prefix + "ledger-consistent", consistent ? 1 : 0, "1 = yes", String.format(
            java.util.Locale.ROOT, "verifyLedger after every measured sale: %,d ledger rows replayed", replayed)));
      }
    }
    return results;
  }

  /**
   * The store under test. The in-memory and Redis stores start empty for every sale (as a fresh
   * tenant does in a database), so that warm-up and repetitions do not fill the heap or Redis.
   */
  private static final class Session implements AutoCloseable {
    private final StoreKind kind;
    private final Options options;
    BenchStores.Opened opened;
    private InventoryEngine engine;

    Session(StoreKind kind, Options options) throws BenchStores.Unreachable {
      this.kind = kind;
      this.options = options;
      this.opened = open();
      this.engine = InventoryEngine.builder().store(opened.store()).build();
    }

    private BenchStores.Opened open() throws BenchStores.Unreachable {
      return BenchStores.open(kind, options, kind == StoreKind.REDIS ? "bench" : "bench_");
    }

    InventoryEngine engineForSale() throws Exception {
      if (kind == StoreKind.MEMORY || kind == StoreKind.REDIS) {
        opened.close();
        opened = open();
        engine = InventoryEngine.builder().store(opened.store()).build();
      }
      return engine;
    }

    @Override
    public void close() throws Exception {
      opened.close();
    }
  }

  private static final String[][] FIGURES = {
      {"throughput", "reservations/s"}, {"p50", "ms"}, {"p99", "ms"}, {"oversold", "units"},
      {"ledger-consistent", "1 = yes"}};

  private static String limit(StoreKind kind) {
    return switch (kind) {
      case MEMORY -> "; limit: CPU per reservation on 2 cores (engine, fingerprint, store) and garbage collection"
          + " (every reservation keeps its ledger row, order and idempotency record on the heap, ~265 bytes, which"
          + " young collections copy); not the SKU lock";
      case H2 -> "; limit: CPU (H2 runs inside this JVM on the same 2 cores) and the hot row's lock; group commit";
      case POSTGRESQL -> "; limit: the hot row's lock, held by one group-commit transaction at a time from its"
          + " UPDATE through its COMMIT (synchronous_commit on), and CPU (JVM and PostgreSQL share 2 cores)";
      case MARIADB -> "; limit: CPU (JVM and MariaDB share 2 cores) and the hot row's lock, held by one"
          + " group-commit transaction at a time (innodb_flush_log_at_trx_commit=1)";
      case REDIS -> "; limit: Redis's single thread runs the per-reservation writes (guard, ledger row and"
          + " indexes, order, idempotency record), one Lua script per batch of waiting reservations (group commit);"
          + " JVM and Redis share 2 cores; AOF off";
    };
  }

  /** Measured sales per store: the median by throughput is reported. */
  static int repetitions(Options o) {
    return o.size(1, 1, 3);
  }

  private static Sale median(List<Sale> sales) {
    List<Sale> sorted = new ArrayList<>(sales);
    sorted.sort(java.util.Comparator.comparingDouble(Sale::perSecond));
    return sorted.get(sorted.size() / 2);
  }

  private static String runs(List<Sale> sales) {
    if (sales.size() == 1) {
      return "one measured sale after a warm-up";
    }
    StringBuilder sb = new StringBuilder("median of " + sales.size() + " sales after a warm-up (");
    for (int i = 0; i < sales.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%,.0f/s", sales.get(i).perSecond));
    }
    return sb.append(")").toString();
  }

  static TenantId tenant(String what) {
    return TenantId.of("bench-" + what + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
  }

  private record Sale(long units, long accepted, double perSecond, double p50, double p99, long oversold,
      LedgerReport ledger) {}

  private static Sale sale(InventoryEngine engine, TenantId tenant, long units) throws Exception {
    Sku sku = Sku.of("VIRAL-LIP-OIL");
    engine.register(ItemDefinition.builder(tenant, sku).name("Viral lip oil, rose").build());
    engine.adjust(Adjustment.of(tenant, sku, units, "flash sale stock").withType(MovementType.IN));
    FlashSaleHarness.Outcome outcome = FlashSaleHarness.run(BUYERS, (buyer, attempt) -> {
      try {
        engine.reserve(Reservation.of(tenant, OrderId.of("o-" + buyer + "-" + attempt), OrderLine.of(sku, 1)));
        return true;
      } catch (InsufficientStockException e) {
        return false;
      }
    });
    StockLevel level = engine.level(tenant, sku);
    long oversold = Math.max(0, outcome.accepted() - units) + Math.max(0, -level.available());
    if (level.reserved() != outcome.accepted()) {
      oversold = Math.max(oversold, Math.abs(level.reserved() - outcome.accepted()));
    }
    LedgerReport ledger = engine.verifyLedger(tenant);
    return new Sale(units, outcome.accepted(), outcome.perSecond(), outcome.latencies().percentileMillis(50),
        outcome.latencies().percentileMillis(99), oversold, ledger);
  }

  private record Baseline(long units, long accepted, double perSecond, double p50, double p99, long oversold,
      long ledgerRows) {}

  private static Baseline baseline(Context ctx, Options o) throws Exception {
    try (HikariDataSource pool = BenchStores.pool(StoreKind.POSTGRESQL, o.postgresUrl(), o.postgresUser(),
        o.postgresPassword(), BenchStores.POOL_SIZE)) {
      SeedStyleReservations seed = new SeedStyleReservations(pool, "bench_seed_");
      seed.createTables();
      long units = baselineUnits(o);
      long warmupNanos = TimeUnit.SECONDS.toNanos(o.size(0, 3, 10));
      for (long t0 = System.nanoTime(); System.nanoTime() - t0 < warmupNanos; ) {
        String warm = "WARM-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        seed.createProduct(warm, Math.max(200, units / 5));
        FlashSaleHarness.run(BUYERS, (buyer, attempt) -> seed.reserve(warm, 1, "w-" + buyer + "-" + attempt));
      }
      List<Baseline> runs = new ArrayList<>();
      for (int r = 0; r < repetitions(o); r++) {
        String product = "VIRAL-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        seed.createProduct(product, units);
        ctx.progress("flash-sale seed-style baseline on postgresql: %,d units, %d buyers", units, BUYERS);
        FlashSaleHarness.Outcome outcome =
            FlashSaleHarness.run(BUYERS, (buyer, attempt) -> seed.reserve(product, 1, "o-" + buyer + "-" + attempt));
        long[] level = seed.level(product);
        long oversold = Math.max(0, outcome.accepted() - units) + Math.max(0, level[1] - level[0]);
        ctx.progress("flash-sale seed-style baseline: %,.0f reservations/s, p99 %.2f ms", outcome.perSecond(),
            outcome.latencies().percentileMillis(99));
        runs.add(new Baseline(units, outcome.accepted(), outcome.perSecond(), outcome.latencies().percentileMillis(50),
            outcome.latencies().percentileMillis(99), oversold, seed.ledgerRows(product)));
      }
      runs.sort(java.util.Comparator.comparingDouble(Baseline::perSecond));
      return runs.get(runs.size() / 2);
    }
  }
}
