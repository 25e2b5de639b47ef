package io.creatorflow.inventory.tiktok.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.Adjustment;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.memory.InMemoryStockStore;
import io.creatorflow.inventory.sync.PushOutcome;
import io.creatorflow.inventory.sync.PushPolicy;
import io.creatorflow.inventory.sync.RateLimit;
import io.creatorflow.inventory.sync.ReconcilePolicy;
import io.creatorflow.inventory.sync.ReconcileProgress;
import io.creatorflow.inventory.sync.ReconcileResult;
import io.creatorflow.inventory.sync.ReconcileResult.Drift;
import io.creatorflow.inventory.sync.ReconcileResult.Repair;
import io.creatorflow.inventory.sync.RetryPolicy;
import io.creatorflow.inventory.sync.ShopSync;
import io.creatorflow.inventory.sync.SyncListener;
import io.creatorflow.inventory.testkit.tiktok.EmulatedProduct;
import io.creatorflow.inventory.testkit.tiktok.Fault;
import io.creatorflow.inventory.testkit.tiktok.Faults;
import io.creatorflow.inventory.testkit.tiktok.TikTokShopEmulator;
import io.creatorflow.inventory.tiktok.TikTokShopApi;
import io.creatorflow.inventory.tiktok.TikTokShopClient;
import io.creatorflow.inventory.tiktok.TikTokShopConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation of a 12,500-SKU TikTok catalog through the real client against the emulator, with
 * injected drift and, in the second test, injected 429s, 5xx, internal errors and time-outs.
 */
@DisplayName("TikTok catalog reconciliation, end to end")
class TikTokReconcileSyncTest {
  static final TenantId T = TenantId.of("creator-2");
  static final int PRODUCTS = 2_500;
  static final int SKUS_PER_PRODUCT = 5;
  static final long QUANTITY = 20;

  final Clock clock = Clock.systemUTC();
  final InMemoryStockStore store = new InMemoryStockStore();
  final InventoryEngine engine = InventoryEngine.builder().store(store).clock(clock).build();
  final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
  final List<ReconcileProgress> progress = new CopyOnWriteArrayList<>();
  TikTokShopEmulator emu;
  TikTokShopApi api;
  ShopSync sync;

  @AfterEach
  void tearDown() {
    if (sync != null) {
      sync.close();
    }
    executor.shutdownNow();
    if (api != null) {
      api.close();
    }
    if (emu != null) {
      emu.close();
    }
  }

  /** The emulator with a 12,500-SKU catalog (2,500 products of 5 SKUs), and the engine in step with it. */
  void catalog(TikTokShopEmulator.Builder emulator, UnaryOperator<TikTokShopConfig.Builder> config,
      ReconcilePolicy policy) {
    emu = emulator.start();
    Instant first = clock.instant().minus(Duration.ofDays(30));
    emu.addProducts(EmulatedProduct.catalog(PRODUCTS, SKUS_PER_PRODUCT, emu.defaultWarehouseId(), QUANTITY, first,
        Duration.ofSeconds(60)));
    for (int n = 0; n < PRODUCTS; n++) {
      for (int k = 0; k < SKUS_PER_PRODUCT; k++) {
        Sku sku = sku(n, k);
        engine.register(ItemDefinition.builder(T, sku).name("SKU " + n + "-" + k)
            .listing(ShopListing.of(TikTokShopClient.CHANNEL, EmulatedProduct.generatedProductId(n),
                EmulatedProduct.generatedSkuId(n, k))).build());
        engine.adjust(Adjustment.of(T, sku, QUANTITY, "count"));
      }
    }
    api = E2e.api(emu, clock, config);
    sync = ShopSync.builder().engine(engine).tenant(T).shop(E2e.client(api, emu)).executor(executor)
        .reconcilePolicy(policy)
        .pushPolicy(PushPolicy.builder().coalesceWindow(Duration.ofMillis(10)).maxBatchSize(100)
            .rateLimit(RateLimit.perSecond(20)).retry(new RetryPolicy(4, Duration.ofMillis(50), Duration.ofMillis(400), 0))
            .build())
        .retryable(TikTokOrderEvents::retryable)
        .listener(new SyncListener() {
          @Override
          public void onReconcileProgress(ReconcileProgress p) {
            progress.add(p);
          }
        })
        .build();
  }

  static Sku sku(int n, int k) {
    return Sku.of("SKU-" + n + "-" + k);
  }

  /** Sets a different quantity at the shop for every 331st SKU; returns them with the shop's quantity. */
  Map<Sku, Long> injectDrift() {
    Map<Sku, Long> drifted = new HashMap<>();
    for (int i = 0; i < PRODUCTS * SKUS_PER_PRODUCT; i += 331) {
      int n = i / SKUS_PER_PRODUCT;
      int k = i % SKUS_PER_PRODUCT;
      long shows = i % 2 == 0 ? QUANTITY + 7 : 0; // more than we have (oversell risk) or less (lost sales)
      emu.setQuantity(EmulatedProduct.generatedSkuId(n, k), emu.defaultWarehouseId(), shows);
      drifted.put(sku(n, k), shows);
    }
    return drifted;
  }

  ReconcileResult reconcile() throws Exception {
    return sync.reconcile().get(60, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("12,500 SKUs: exactly the drifted SKUs are found in ~25 catalog calls, repaired, and local stock is untouched")
  void findsExactlyTheDrift() throws Exception {
    catalog(TikTokShopEmulator.builder().qps(50).faults(Faults.builder().latency(Duration.ofMillis(5)).build()),
        c -> c.qps(50), ReconcilePolicy.builder().noSchedule().mode(ReconcilePolicy.Mode.REPORT_ONLY)
            .rateLimit(RateLimit.perSecond(40)).build());
    Map<Sku, Long> drifted = injectDrift();

    ReconcileResult r = reconcile();
    assertThat(r.complete()).isTrue();
    assertThat(r.failures()).isEmpty();
    assertThat(r.checked()).isEqualTo(PRODUCTS * SKUS_PER_PRODUCT);
    assertThat(r.drifts()).extracting(Drift::sku).containsExactlyInAnyOrderElementsOf(drifted.keySet());
    assertThat(r.drifts()).allSatisfy(d -> {
      assertThat(d.shopQuantity()).isEqualTo(drifted.get(d.sku()));
      assertThat(d.expectedQuantity()).isEqualTo(QUANTITY);
      assertThat(d.repair()).isEqualTo(Repair.REPORTED);
    });
    assertThat(r.missingAtShop()).isEmpty();
    assertThat(r.unmapped()).isZero();
    // one search call per 100 products (no call per product), within the client's and the shop's limits
    assertThat(emu.requestCount("/product/{v}/products/search")).isBetween(25, 30);
    assertThat(emu.requests()).noneMatch(q -> q.method().equals("GET") && q.path().matches("/product/\\d+/products/\\d+"));
    assertThat(emu.answeredWith(TikTokShopEmulator.TOO_MANY_REQUESTS)).isZero();
    assertThat(progress).isNotEmpty();
    assertThat(progress.get(progress.size() - 1).done()).isEqualTo(PRODUCTS * SKUS_PER_PRODUCT);
    assertThat(progress.get(progress.size() - 1).total()).isEqualTo(PRODUCTS);

    // now repair: only the drifted SKUs are pushed, local stock never moves
    sync.close();
    sync = null;
    long rows = engine.history(T, io.creatorflow.inventory.HistoryQuery.all()).total();
    emu.clearPushes();
    catalogSyncWith(ReconcilePolicy.builder().noSchedule().rateLimit(RateLimit.perSecond(40)).build());
    ReconcileResult repaired = reconcile();
    assertThat(repaired.repaired()).isEqualTo(drifted.size());
    assertThat(emu.pushes()).extracting(p -> p.skuId()).hasSize(drifted.size());
    for (Sku sku : drifted.keySet()) {
      String[] nk = sku.value().substring(4).split("-");
      assertThat(emu.totalQuantity(EmulatedProduct.generatedSkuId(Integer.parseInt(nk[0]), Integer.parseInt(nk[1]))))
          .isEqualTo(QUANTITY);
    }
    assertThat(engine.history(T, io.creatorflow.inventory.HistoryQuery.all()).total()).isEqualTo(rows);
    assertThat(reconcile().drifts()).isEmpty();
  }

  /** A new sync on the same emulator and engine with another reconcile policy. */
  void catalogSyncWith(ReconcilePolicy policy) {
    sync = ShopSync.builder().engine(engine).tenant(T).shop(E2e.client(api, emu)).executor(executor)
        .reconcilePolicy(policy)
        .pushPolicy(PushPolicy.builder().coalesceWindow(Duration.ofMillis(10)).maxBatchSize(100)
            .rateLimit(RateLimit.perSecond(20)).build())
        .retryable(TikTokOrderEvents::retryable).build();
  }

  @Test
  @DisplayName("with 429s, 5xx, internal errors and time-outs injected, the run completes and reports what failed")
  void completesUnderFaults() throws Exception {
    catalog(TikTokShopEmulator.builder().qps(50).retryAfter(Duration.ofSeconds(1)),
        c -> c.qps(50).maxAttempts(2).readTimeout(Duration.ofMillis(300)).initialBackoff(Duration.ofMillis(20))
            .maxBackoff(Duration.ofMillis(100)),
        ReconcilePolicy.builder().noSchedule().rateLimit(RateLimit.perSecond(40))
            .retry(new RetryPolicy(8, Duration.ofMillis(50), Duration.ofMillis(200), 0)).build());
    Map<Sku, Long> drifted = injectDrift();
    // a product the seller deactivated: TikTok refuses inventory updates for it (code 12052901)
    Sku inactive = sku(331 / SKUS_PER_PRODUCT, 331 % SKUS_PER_PRODUCT);
    String inactiveProduct = EmulatedProduct.generatedProductId(331 / SKUS_PER_PRODUCT);
    emu.setProductStatus(inactiveProduct, "SELLER_DEACTIVATED");
    // one of each fault first, then about one request in five fails at random
    emu.failNext(Fault.RATE_LIMITED, Fault.SERVER_ERROR, Fault.INTERNAL_ERROR, Fault.TIMEOUT);
    emu.faults(Faults.builder().latency(Duration.ofMillis(2)).rate(Fault.RATE_LIMITED, 0.05)
        .rate(Fault.SERVER_ERROR, 0.07).rate(Fault.INTERNAL_ERROR, 0.05).rate(Fault.TIMEOUT, 0.03).build());

    ReconcileResult r = reconcile();
    assertThat(r.complete()).as("failures: %s", r.failures()).isTrue();
    assertThat(r.drifts()).extracting(Drift::sku).containsExactlyInAnyOrderElementsOf(drifted.keySet());
    assertThat(emu.requests()).anyMatch(q -> q.httpStatus() == 429).anyMatch(q -> q.httpStatus() == 500)
        .anyMatch(q -> q.code() == TikTokShopEmulator.INTERNAL_ERROR).anyMatch(q -> q.httpStatus() == -1);
    // every drift was either repaired (and the shop shows the engine's quantity) or is listed as a failure
    List<Sku> failedRepairs = new ArrayList<>();
    for (Drift d : r.drifts()) {
      if (d.repair() == Repair.REPAIRED) {
        assertThat(d.repairOutcome().status()).isEqualTo(PushOutcome.Status.ACCEPTED);
      } else {
        assertThat(d.repair()).isEqualTo(Repair.FAILED);
        failedRepairs.add(d.sku());
      }
    }
    assertThat(r.failures()).allSatisfy(f -> {
      assertThat(f.kind()).isEqualTo(ReconcileResult.Kind.REPAIR);
      assertThat(f.reason()).isNotBlank();
      assertThat(f.code()).isNotBlank();
    });
    assertThat(r.failures()).extracting(ReconcileResult.Failure::sku).containsExactlyInAnyOrderElementsOf(failedRepairs);
    assertThat(r.failures()).filteredOn(f -> f.sku().equals(inactive)).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo("12052901");
      assertThat(f.reason()).startsWith("REJECTED");
    });

    // faults over: the next run repairs what is left but the inactive product, which it reports again
    emu.faults(Faults.NONE);
    ReconcileResult again = reconcile();
    assertThat(again.complete()).isTrue();
    assertThat(again.drifts()).extracting(Drift::sku).isSubsetOf(failedRepairs).contains(inactive);
    assertThat(again.failures()).extracting(ReconcileResult.Failure::sku).containsExactly(inactive);
    emu.setProductStatus(inactiveProduct, "ACTIVATE");
    assertThat(reconcile().repaired()).isEqualTo(1);
    assertThat(reconcile().drifts()).isEmpty();
  }
}
