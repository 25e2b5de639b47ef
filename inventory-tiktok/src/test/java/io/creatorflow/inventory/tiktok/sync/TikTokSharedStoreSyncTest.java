package io.creatorflow.inventory.tiktok.sync;

import io.creatorflow.inventory.testkit.ManualScheduler;
import io.creatorflow.inventory.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.Adjustment;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.jdbc.JdbcStockStore;
import io.creatorflow.inventory.sync.OrderPolicy;
import io.creatorflow.inventory.sync.OrderSyncResult;
import io.creatorflow.inventory.sync.OrderSyncResult.Outcome;
import io.creatorflow.inventory.sync.ReconcilePolicy;
import io.creatorflow.inventory.sync.ReconcileResult;
import io.creatorflow.inventory.sync.ShopSync;
import io.creatorflow.inventory.sync.SyncListener;
import io.creatorflow.inventory.testkit.tiktok.EmulatedOrder;
import io.creatorflow.inventory.testkit.tiktok.EmulatedProduct;
import io.creatorflow.inventory.testkit.tiktok.TikTokShopEmulator;
import io.creatorflow.inventory.tiktok.TikTokShopApi;
import io.creatorflow.inventory.tiktok.TikTokShopClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two service instances (two engines, two connection pools, two TikTok clients, two syncs) on one
 * shared JDBC store (H2): the lease in the store decides which one runs the periodic reconciliation
 * and order poll; pushes and webhooks work on both, and an order delivered to both applies once. Time
 * and scheduling are manual, so every tick is deterministic.
 */
@DisplayName("Two instances on one shared JDBC store")
class TikTokSharedStoreSyncTest {
  static final TenantId T = TenantId.of("creator-3");

  final MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final ExecutorService threads = Executors.newFixedThreadPool(2);
  final List<ReconcileResult> reconcilesA = new CopyOnWriteArrayList<>();
  final List<ReconcileResult> reconcilesB = new CopyOnWriteArrayList<>();
  final List<JdbcConnectionPool> pools = new ArrayList<>();
  final List<TikTokShopApi> apis = new ArrayList<>();
  TikTokShopEmulator emu;
  InventoryEngine engineA;
  InventoryEngine engineB;
  ShopSync a;
  ShopSync b;

  @BeforeEach
  void setUp() {
    emu = TikTokShopEmulator.builder().qps(0).clock(clock).start();
    emu.addProducts(EmulatedProduct.catalog(10, 2, emu.defaultWarehouseId(), 5, clock.instant().minus(Duration.ofDays(1)),
        Duration.ofSeconds(10)));
    String url = "jdbc:h2:mem:sync-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
    JdbcStockStore storeA = JdbcStockStore.builder(pool(url)).build();
    storeA.migrate();
    JdbcStockStore storeB = JdbcStockStore.builder(pool(url)).build();
    engineA = InventoryEngine.builder().store(storeA).clock(clock).build();
    engineB = InventoryEngine.builder().store(storeB).clock(clock).build();
    for (int n = 0; n < 10; n++) {
      for (int k = 0; k < 2; k++) {
        Sku sku = sku(n, k);
        engineA.register(ItemDefinition.builder(T, sku).name(sku.value())
            .listing(ShopListing.of(TikTokShopClient.CHANNEL, EmulatedProduct.generatedProductId(n),
                EmulatedProduct.generatedSkuId(n, k))).build());
        engineA.adjust(Adjustment.of(T, sku, 5, "count"));
      }
    }
    a = sync(engineA, "instance-a", reconcilesA);
    b = sync(engineB, "instance-b", reconcilesB);
    a.start();
    b.start();
  }

  private JdbcConnectionPool pool(String url) {
    JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
    pools.add(pool);
    return pool;
  }

  private ShopSync sync(InventoryEngine engine, String instance, List<ReconcileResult> sink) {
    TikTokShopApi api = E2e.api(emu, clock, c -> c);
    apis.add(api);
    return ShopSync.builder().engine(engine).tenant(T).shop(E2e.client(api, emu)).executor(scheduler)
        .instanceId(instance)
        .retryable(TikTokOrderEvents::retryable)
        .reconcilePolicy(ReconcilePolicy.builder().interval(Duration.ofMinutes(1)).initialDelay(Duration.ofMinutes(1))
            .build())
        .orderPolicy(OrderPolicy.builder().pollInterval(Duration.ofMinutes(1)).build())
        .listener(new SyncListener() {
          @Override
          public void onReconcileFinished(ReconcileResult result) {
            sink.add(result);
          }
        })
        .build();
  }

  @AfterEach
  void tearDown() {
    for (ShopSync s : new ShopSync[] {a, b}) {
      if (s != null) {
        s.closeAsync();
      }
    }
    scheduler.runDue();
    threads.shutdownNow();
    apis.forEach(TikTokShopApi::close);
    if (emu != null) {
      emu.close();
    }
    pools.forEach(JdbcConnectionPool::dispose);
  }

  static Sku sku(int n, int k) {
    return Sku.of("SKU-" + n + "-" + k);
  }

  @Test
  @DisplayName("only the lease holder runs the periodic jobs; the other takes over when it stops")
  void oneInstanceRunsThePeriodicJobs() {
    for (int minute = 0; minute < 3; minute++) {
      scheduler.advance(Duration.ofMinutes(1));
    }
    assertThat(a.stats().reconcile().runs()).isEqualTo(3);
    assertThat(a.stats().orderPoll().runs()).isEqualTo(3);
    assertThat(b.stats().reconcile().runs()).isZero();
    assertThat(b.stats().orderPoll().runs()).isZero();
    assertThat(b.stats().reconcile().skippedNotLeader()).isEqualTo(3);
    assertThat(b.stats().orderPoll().skippedNotLeader()).isEqualTo(3);
    assertThat(reconcilesA).hasSize(3).allSatisfy(r -> {
      assertThat(r.complete()).isTrue();
      assertThat(r.checked()).isEqualTo(20);
      assertThat(r.drifts()).isEmpty();
    });
    assertThat(reconcilesB).isEmpty();
    assertThat(emu.requestCount("/product/{v}/products/search")).isEqualTo(3);
    assertThat(emu.requestCount("/order/{v}/orders/search")).isEqualTo(3);

    // the leader stops (deploy, crash with a clean shutdown): the other instance takes the lease
    a.closeAsync();
    scheduler.runDue();
    scheduler.advance(Duration.ofMinutes(1));
    assertThat(b.stats().reconcile().runs()).isEqualTo(1);
    assertThat(b.stats().orderPoll().runs()).isEqualTo(1);
    assertThat(reconcilesB).singleElement().satisfies(r -> assertThat(r.drifts()).isEmpty());
    assertThat(reconcilesA).hasSize(3);
  }

  @Test
  @DisplayName("pushes work on every instance, and the leader's reconciliation sees the other's changes")
  void pushesFromEitherInstance() {
    engineB.adjust(Adjustment.of(T, sku(3, 1), -2, "damaged"));
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(emu.totalQuantity(EmulatedProduct.generatedSkuId(3, 1))).isEqualTo(3);
    assertThat(b.lastPushed(sku(3, 1))).hasValue(3);
    assertThat(a.lastPushed(sku(3, 1))).isEmpty();
    scheduler.advance(Duration.ofMinutes(1));
    assertThat(reconcilesA).singleElement().satisfies(r -> assertThat(r.drifts()).isEmpty());
  }

  @Test
  @DisplayName("the same order delivered to both instances at once is reserved once")
  void sameOrderOnBothInstances() throws Exception {
    String order = emu.createOrder(List.of(new EmulatedOrder.Line(EmulatedProduct.generatedProductId(4),
        EmulatedProduct.generatedSkuId(4, 0), 3)));
    CompletableFuture<OrderSyncResult> viaA = CompletableFuture.supplyAsync(() -> a.onOrderNotification(order), threads);
    CompletableFuture<OrderSyncResult> viaB = CompletableFuture.supplyAsync(() -> b.onOrderNotification(order), threads);
    List<Outcome> outcomes = List.of(viaA.get(30, TimeUnit.SECONDS).outcome(), viaB.get(30, TimeUnit.SECONDS).outcome());
    assertThat(outcomes).containsExactlyInAnyOrder(Outcome.RESERVED, Outcome.NO_CHANGE);
    assertThat(engineA.level(T, sku(4, 0)).reserved()).isEqualTo(3);
    long reserves = engineA.history(T, io.creatorflow.inventory.HistoryQuery.of(sku(4, 0))).items().stream()
        .filter(m -> m.type() == MovementType.RESERVE).count();
    assertThat(reserves).isEqualTo(1);
    // both instances push; the shop ends at the engine's quantity
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(emu.totalQuantity(EmulatedProduct.generatedSkuId(4, 0))).isEqualTo(2);
  }
}
