package io.creatorflow.inventory.benchmarks.scenarios;

import io.creatorflow.inventory.Adjustment;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.benchmarks.Options;
import io.creatorflow.inventory.benchmarks.Result;
import io.creatorflow.inventory.benchmarks.Scenario;
import io.creatorflow.inventory.benchmarks.baseline.SeedStyleCatalogSync;
import io.creatorflow.inventory.memory.InMemoryStockStore;
import io.creatorflow.inventory.sync.OrderPolicy;
import io.creatorflow.inventory.sync.RateLimit;
import io.creatorflow.inventory.sync.ReconcilePolicy;
import io.creatorflow.inventory.sync.ReconcileResult;
import io.creatorflow.inventory.sync.ShopSync;
import io.creatorflow.inventory.testkit.tiktok.EmulatedProduct;
import io.creatorflow.inventory.testkit.tiktok.TikTokShopEmulator;
import io.creatorflow.inventory.tiktok.TikTokShopApi;
import io.creatorflow.inventory.tiktok.TikTokShopClient;
import io.creatorflow.inventory.tiktok.sync.TikTokOrderEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Reconciliation of the seed's 12,500-SKU catalog (2,500 products with 5 variants each) with 1 % of
 * the SKUs drifted at the shop, against the emulator at 50 requests per second per endpoint and 50 ms
 * per request: {@link ShopSync#reconcile()} in repair mode (catalog search pages of 100 products, then
 * one push per drifted product) against the seed-style sync ({@link SeedStyleCatalogSync}: one product
 * GET per SKU in batches of 100 with a one-second pause). The baseline would take minutes on the whole
 * catalog, so it runs on the first SKUs of the catalog (with the drift that falls there) and its
 * per-SKU time and requests are extrapolated to 12,500 SKUs; the output says so.
 */
public final class ReconcileScenario implements Scenario {
  static final int VARIANTS = 5;
  static final long STOCK = 20;
  static final int QPS = 50;
  static final Duration LATENCY = Duration.ofMillis(50);

  @Override
  public String name() {
    return "reconcile";
  }

  @Override
  public List<Result> run(Context ctx) throws Exception {
    Options o = ctx.options();
    int products = o.size(60, 2_500, 2_500);
    int skuCount = products * VARIANTS;
    int baselineSkus = o.size(200, 400, 1_000);
    int runs = o.size(1, 1, 3);
    TenantId tenant = FlashSaleScenario.tenant("reconcile");
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(48, SyncScenario.daemon("reconcile-bench"));
    try (ShopFixture shop = ShopFixture.start(QPS, LATENCY);
        InMemoryStockStore store = new InMemoryStockStore()) {
      InventoryEngine engine = InventoryEngine.builder().store(store).build();
      ctx.progress("reconcile: a catalog of %,d SKUs (%,d products x %d variants)", skuCount, products, VARIANTS);
      List<SeedStyleCatalogSync.Row> rows = catalog(shop.emulator, engine, tenant, products);
      Map<SeedStyleCatalogSync.Row, Long> drift = drift(rows, new Random(7));
      ShopSync sync = ShopSync.builder()
          .engine(engine).tenant(tenant).shop(shop.client).executor(executor).leaseStore(store)
          .pushPolicy(SyncScenario.tuned())
          .reconcilePolicy(ReconcilePolicy.builder().mode(ReconcilePolicy.Mode.REPAIR).noSchedule()
              .rateLimit(new RateLimit(45, 45)).build())
          .orderPolicy(OrderPolicy.builder().noPolling().build())
          .retryable(TikTokOrderEvents::retryable)
          .build();
      sync.start();
      double[] seconds = new double[runs];
      int[] requests = new int[runs];
      int[] limited = new int[runs];
      ReconcileResult last = null;
      try {
        ctx.progress("reconcile: warm-up run without drift");
        ReconcileResult warm = sync.reconcile().get(5, TimeUnit.MINUTES);
        check(warm, skuCount, 0);
        for (int r = 0; r < runs; r++) {
          inject(shop.emulator, drift);
          Thread.sleep(1_100); // a fresh rate-limit second
          int req0 = shop.emulator.totalRequests();
          int lim0 = shop.emulator.answeredWith(TikTokShopEmulator.TOO_MANY_REQUESTS);
          long t0 = System.nanoTime();
          last = sync.reconcile().get(5, TimeUnit.MINUTES);
          seconds[r] = (System.nanoTime() - t0) / 1e9;
          requests[r] = shop.emulator.totalRequests() - req0;
          limited[r] = shop.emulator.answeredWith(TikTokShopEmulator.TOO_MANY_REQUESTS) - lim0;
          check(last, skuCount, drift.size());
          ctx.progress("reconcile run %d: %.2f s, %d requests (%d answered 429), %d drifted, %d repaired", r + 1,
              seconds[r], requests[r], limited[r], last.drifts().size(), last.repaired());
        }
      } finally {
        sync.close();
      }

      // The seed-style sync on the first SKUs of the catalog, with the drift that falls there.
      inject(shop.emulator, drift);
      Thread.sleep(1_100);
      List<SeedStyleCatalogSync.Row> subset = rows.subList(0, Math.min(baselineSkus, rows.size()));
      long subsetDrift = subset.stream().filter(drift::containsKey).count();
      ctx.progress("reconcile: seed-style sync of %,d SKUs (%d drifted)", subset.size(), subsetDrift);
      int req0 = shop.emulator.totalRequests();
      SeedStyleCatalogSync.Outcome seed;
      TikTokShopApi seedApi = shop.newApi();
      try (SeedStyleCatalogSync seedSync = new SeedStyleCatalogSync(seedApi,
          TikTokShopClient.builder(seedApi, shop.emulator.shopCipher()).build(), shop.emulator.shopCipher())) {
        seed = seedSync.sync(subset, sku -> engine.level(tenant, sku).available());
      } finally {
        seedApi.close();
      }
      int seedRequests = shop.emulator.totalRequests() - req0;
      double seedSeconds = seed.elapsedNanos() / 1e9;
      double perSku = seedSeconds / subset.size();
      double extrapolated = perSku * skuCount;
      double seedRequestsExtrapolated = (double) seedRequests / subset.size() * skuCount;
      ctx.progress("reconcile: seed-style %.1f s for %d SKUs (%d requests, %d drifted, %d repaired, %d failed);"
          + " extrapolated to %,d SKUs: %.0f s", seedSeconds, subset.size(), seedRequests, seed.drifted(),
          seed.repaired(), seed.failed(), skuCount, extrapolated);

      double median = median(seconds);
      int medianRequests = (int) median(Arrays.stream(requests).asDoubleStream().toArray());
      String setting = String.format(Locale.ROOT, "%,d SKUs (%,d products x %d variants), %d drifted (1 %%),"
          + " repaired and acknowledged; emulator %d QPS per endpoint, %d ms latency; median of %d run(s) %s;"
          + " limit: the shop's QPS (25 search pages in sequence, then one inventory update per drifted product)",
          skuCount, products, VARIANTS, drift.size(), QPS, LATENCY.toMillis(), runs, Arrays.toString(
              Arrays.stream(seconds).mapToObj(s -> String.format(Locale.ROOT, "%.2f s", s)).toArray()));
      String baseline = String.format(Locale.ROOT, "; baseline: seed-style sync measured on %,d SKUs (%d drifted):"
          + " %.1f s, %d requests, %d repaired, %d failed, extrapolated per SKU to %,d SKUs", subset.size(),
          subsetDrift, seedSeconds, seedRequests, seed.repaired(), seed.failed(), skuCount);
      List<Result> out = new ArrayList<>();
      out.add(Result.compared("reconcile/12500-skus/total-time", median, extrapolated, "s", false,
          setting + baseline));
      out.add(Result.compared("reconcile/12500-skus/requests", medianRequests, seedRequestsExtrapolated, "requests",
          false, "shop requests made (429 answers: " + Arrays.toString(limited) + " per run; baseline extrapolated)"));
      out.add(Result.of("reconcile/12500-skus/drift-repaired", last == null ? 0 : last.repaired(), "SKUs",
          "of " + drift.size() + " drifted; local stock untouched"));
      out.add(Result.of("reconcile/seed-baseline/measured-time", seedSeconds, "s",
          "the seed-style sync of the first " + subset.size() + " SKUs, as measured (not extrapolated)"));
      return out;
    } finally {
      executor.shutdownNow();
    }
  }

  private static void check(ReconcileResult r, int skus, int drifted) {
    if (!r.complete() || r.checked() != skus || r.drifts().size() != drifted || r.repaired() != drifted
        || !r.failures().isEmpty()) {
      throw new IllegalStateException("reconciliation did not do what was expected: complete " + r.complete()
          + ", checked " + r.checked() + " of " + skus + ", drifts " + r.drifts().size() + " of " + drifted
          + ", repaired " + r.repaired() + ", failures " + r.failures());
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static List<SeedStyleCatalogSync.Row> catalog(TikTokShopEmulator emulator, InventoryEngine engine,
      TenantId tenant, int products) {
    Instant first = Instant.now().minus(Duration.ofDays(60));
    emulator.addProducts(EmulatedProduct.catalog(products, VARIANTS, emulator.defaultWarehouseId(), STOCK, first,
        Duration.ofMinutes(1)));
    List<SeedStyleCatalogSync.Row> rows = new ArrayList<>();
    for (int n = 0; n < products; n++) {
      for (int k = 0; k < VARIANTS; k++) {
        Sku sku = Sku.of("SKU-" + n + "-" + k);
        String productId = EmulatedProduct.generatedProductId(n);
        String skuId = EmulatedProduct.generatedSkuId(n, k);
        engine.register(ItemDefinition.builder(tenant, sku).name("Product " + n + " variant " + k)
            .listing(ShopListing.of(TikTokShopClient.CHANNEL, productId, skuId)).build());
        engine.adjust(Adjustment.of(tenant, sku, STOCK, "opening stock").withType(MovementType.IN));
        rows.add(new SeedStyleCatalogSync.Row(sku, productId, skuId));
      }
    }
    return rows;
  }

  /** 1 % of the SKUs, at random, with the quantity the shop will wrongly show. */
  private static Map<SeedStyleCatalogSync.Row, Long> drift(List<SeedStyleCatalogSync.Row> rows, Random random) {
    Map<SeedStyleCatalogSync.Row, Long> drift = new LinkedHashMap<>();
    int count = Math.max(1, rows.size() / 100);
    while (drift.size() < count) {
      SeedStyleCatalogSync.Row row = rows.get(random.nextInt(rows.size()));
      drift.putIfAbsent(row, drift.size() % 2 == 0 ? STOCK + 7 : 0L);
    }
    return drift;
  }

  private static void inject(TikTokShopEmulator emulator, Map<SeedStyleCatalogSync.Row, Long> drift) {
    drift.forEach((row, shows) -> emulator.setQuantity(row.skuId(), emulator.defaultWarehouseId(), shows));
  }
}
