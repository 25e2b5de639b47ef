package io.creatorflow.inventory.sync;

import static io.creatorflow.inventory.sync.SyncFixture.START;
import static io.creatorflow.inventory.sync.SyncFixture.T;
import static io.creatorflow.inventory.sync.SyncFixture.line;
import static io.creatorflow.inventory.sync.SyncFixture.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.Adjustment;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.memory.InMemoryStockStore;
import io.creatorflow.inventory.spi.LeaseStore;
import io.creatorflow.inventory.spi.ShopClient.OrderState;
import io.creatorflow.inventory.spi.StockStore;
import io.creatorflow.inventory.sync.OrderSyncResult.Outcome;
import io.creatorflow.inventory.sync.internal.LookupCache;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Lookup cache")
class LookupCacheTest {
  final ManualClock clock = new ManualClock(START);
  final InMemoryStockStore real = new InMemoryStockStore();
  final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
  final StockStore counting = (StockStore) Proxy.newProxyInstance(getClass().getClassLoader(),
      new Class<?>[] {StockStore.class, LeaseStore.class}, (proxy, method, args) -> {
        reads.computeIfAbsent(method.getName(), k -> new AtomicInteger()).incrementAndGet();
        try {
          return method.invoke(real, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      });
  final InventoryEngine engine = InventoryEngine.builder().store(counting).clock(clock).build();
  final FakeShop shop = new FakeShop(clock);
  final ManualScheduler scheduler = new ManualScheduler(clock);

  ShopSync.Builder builder() {
    return ShopSync.builder().engine(engine).tenant(T).shop(shop).executor(scheduler)
        .reconcilePolicy(ReconcilePolicy.builder().noSchedule().build())
        .orderPolicy(OrderPolicy.builder().noPolling().build());
  }

  Sku item(String sku, String shopSkuId, long onHand) {
    Sku s = Sku.of(sku);
    engine.register(ItemDefinition.builder(T, s).name(sku).listing(ShopListing.of(FakeShop.CHANNEL, "p", shopSkuId))
        .build());
    engine.adjust(Adjustment.of(T, s, onHand, "count"));
    return s;
  }

  int reads(String method) {
    AtomicInteger n = reads.get(method);
    return n == null ? 0 : n.get();
  }

  @Test
  @DisplayName("shop SKU lookups hit the store once, then the cache until they age out; stock is always read")
  void cachesLookupsNotStock() {
    Sku a = item("A", "s1", 10);
    ShopSync sync = builder().build();
    for (int i = 0; i < 5; i++) {
      sync.applyOrder(order("o" + i, OrderState.AWAITING_SHIPMENT, START, line("p", "s1", 1)));
    }
    assertThat(reads("itemByListing")).isEqualTo(1);
    assertThat(engine.level(T, a).reserved()).isEqualTo(5);
    // stock changes never go through the cache: the next order sees the store's level
    engine.adjust(Adjustment.of(T, a, -5, "shrinkage"));
    assertThat(sync.applyOrder(order("o9", OrderState.AWAITING_SHIPMENT, START, line("p", "s1", 1))).outcome())
        .isEqualTo(Outcome.OVERSOLD);
    clock.advance(ShopSync.DEFAULT_CACHE_TTL.plusSeconds(1));
    sync.applyOrder(order("o10", OrderState.UNPAID, START, line("p", "s1", 1)));
    sync.applyOrder(order("o11", OrderState.AWAITING_SHIPMENT, START, line("p", "s1", 1)));
    assertThat(reads("itemByListing")).isEqualTo(2);
  }

  @Test
  @DisplayName("the engine's own item changes invalidate the cache: a listing moved to another SKU maps to it at once")
  void invalidatedByItemChanges() {
    Sku a = item("A", "s1", 10);
    Sku b = item("B", "s2", 10);
    ShopSync sync = builder().build();
    sync.start();
    sync.applyOrder(order("o1", OrderState.AWAITING_SHIPMENT, START, line("p", "s1", 1)));
    engine.updateItem(engine.item(T, a).definition().toBuilder().listings(java.util.List.of()).build());
    engine.updateItem(engine.item(T, b).definition().toBuilder()
        .listing(ShopListing.of(FakeShop.CHANNEL, "p", "s1")).build());
    sync.applyOrder(order("o2", OrderState.AWAITING_SHIPMENT, START, line("p", "s1", 1)));
    assertThat(engine.order(T, OrderId.of("shop:o2")).lines().get(0).sku()).isEqualTo(b);
    assertThat(engine.level(T, a).reserved()).isEqualTo(1);
    assertThat(engine.level(T, b).reserved()).isEqualTo(1);
  }

  @Test
  @DisplayName("a listing registered by another instance is found once the short negative entry ages out")
  void negativeEntriesAgeOut() {
    ShopSync sync = builder().negativeLookupTtl(Duration.ofSeconds(10)).build();
    sync.start();
    assertThat(sync.applyOrder(order("o1", OrderState.AWAITING_SHIPMENT, START, line("p", "s7", 1))).outcome())
        .isEqualTo(Outcome.UNMAPPED);
    InventoryEngine otherInstance = InventoryEngine.builder().store(real).clock(clock).build();
    otherInstance.register(ItemDefinition.builder(T, Sku.of("C")).name("C")
        .listing(ShopListing.of(FakeShop.CHANNEL, "p", "s7")).build());
    otherInstance.adjust(Adjustment.of(T, Sku.of("C"), 3, "count"));
    assertThat(sync.applyOrder(order("o2", OrderState.AWAITING_SHIPMENT, START, line("p", "s7", 1))).outcome())
        .isEqualTo(Outcome.UNMAPPED);
    clock.advance(Duration.ofSeconds(11));
    assertThat(sync.applyOrder(order("o3", OrderState.AWAITING_SHIPMENT, START, line("p", "s7", 1))).outcome())
        .isEqualTo(Outcome.RESERVED);
  }

  @Test
  @DisplayName("the cache is bounded in size")
  void bounded() {
    for (int i = 0; i < 50; i++) {
      item("S" + i, "s" + i, 1);
    }
    LookupCache cache = new LookupCache(engine, T, FakeShop.CHANNEL, 10, Duration.ofMinutes(5), Duration.ofSeconds(30),
        clock);
    for (int i = 0; i < 50; i++) {
      assertThat(cache.byShopSku("s" + i)).isPresent();
    }
    assertThat(cache.size()).isLessThanOrEqualTo(10);
    assertThat(reads("itemByListing")).isEqualTo(50);
  }
}
