package io.creatorflow.inventory.sync;

import io.creatorflow.inventory.Adjustment;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.memory.InMemoryStockStore;
import io.creatorflow.inventory.spi.ShopClient.OrderState;
import io.creatorflow.inventory.spi.ShopClient.ShopOrder;
import io.creatorflow.inventory.spi.ShopClient.ShopOrderLine;
import io.creatorflow.inventory.spi.StockStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An engine on an in-memory store, a fake shop, a manual clock and scheduler, and a recording listener. */
final class SyncFixture {
  static final TenantId T = TenantId.of("t1");
  static final Instant START = Instant.parse("2025-03-01T10:00:00Z");

  final ManualClock clock;
  final ManualScheduler scheduler;
  final StockStore store;
  final InventoryEngine engine;
  final FakeShop shop;
  final List<PushOutcome> accepted = new CopyOnWriteArrayList<>();
  final List<PushOutcome> failed = new CopyOnWriteArrayList<>();
  final List<OrderSyncResult> orderResults = new CopyOnWriteArrayList<>();
  final List<ReconcileProgress> progress = new CopyOnWriteArrayList<>();
  final List<ReconcileResult> reconciles = new CopyOnWriteArrayList<>();
  final List<WebhookOutcome> webhooks = new CopyOnWriteArrayList<>();
  final SyncListener recorder = new SyncListener() {
    @Override
    public void onPushAccepted(PushOutcome outcome) {
      accepted.add(outcome);
    }

    @Override
    public void onPushFailed(PushOutcome outcome) {
      failed.add(outcome);
    }

    @Override
    public void onOrderSynced(OrderSyncResult result) {
      orderResults.add(result);
    }

    @Override
    public void onReconcileProgress(ReconcileProgress p) {
      progress.add(p);
    }

    @Override
    public void onReconcileFinished(ReconcileResult result) {
      reconciles.add(result);
    }

    @Override
    public void onWebhook(WebhookOutcome outcome) {
      webhooks.add(outcome);
    }
  };

  SyncFixture() {
    this(new ManualClock(START), null);
  }

  /** A second engine instance on {@code other}'s store, clock and scheduler (another service instance). */
  SyncFixture(SyncFixture other) {
    this(other.clock, other);
  }

  private SyncFixture(ManualClock clock, SyncFixture sharing) {
    this.clock = clock;
    this.scheduler = sharing == null ? new ManualScheduler(clock) : sharing.scheduler;
    this.store = sharing == null ? new InMemoryStockStore() : sharing.store;
    this.shop = sharing == null ? new FakeShop(clock) : sharing.shop;
    this.engine = InventoryEngine.builder().store(store).clock(clock).build();
  }

  /** A builder with test defaults: no jitter, no periodic jobs, the recording listener. */
  ShopSync.Builder builder() {
    return ShopSync.builder().engine(engine).tenant(T).shop(shop).executor(scheduler).random(() -> 0.0)
        .listener(recorder)
        .reconcilePolicy(ReconcilePolicy.builder().noSchedule().build())
        .orderPolicy(OrderPolicy.builder().noPolling().build());
  }

  /** Registers a SKU listed on the fake shop, with {@code onHand} on hand, and the shop showing the same. */
  Sku item(String sku, String productId, String shopSkuId, long onHand) {
    Sku s = Sku.of(sku);
    engine.register(ItemDefinition.builder(T, s).name(sku).listing(ShopListing.of(FakeShop.CHANNEL, productId, shopSkuId))
        .build());
    if (onHand > 0) {
      engine.adjust(Adjustment.of(T, s, onHand, "initial count"));
    }
    shop.sku(productId, shopSkuId, onHand);
    return s;
  }

  void adjust(Sku sku, long delta) {
    engine.adjust(Adjustment.of(T, sku, delta, "test"));
  }

  StockLevel level(Sku sku) {
    return engine.level(T, sku);
  }

  static ShopOrder order(String id, OrderState state, Instant updated, ShopOrderLine... lines) {
    return new ShopOrder(id, state, state.name(), List.of(lines), updated);
  }

  static ShopOrderLine line(String productId, String shopSkuId, long quantity) {
    return new ShopOrderLine(productId, shopSkuId, null, quantity);
  }

  /** Every ledger row of a SKU, oldest first. */
  List<Movement> ledger(Sku sku) {
    List<Movement> out = new ArrayList<>();
    store.forEachMovement(T, sku, out::add);
    return out;
  }
}
