package io.creatorflow.inventory.tiktok.sync;

import io.creatorflow.inventory.testkit.ManualScheduler;
import io.creatorflow.inventory.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.creatorflow.inventory.Adjustment;
import io.creatorflow.inventory.InvalidRequestException;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderLine;
import io.creatorflow.inventory.OrderStatus;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StoreUnavailableException;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.memory.InMemoryStockStore;
import io.creatorflow.inventory.spi.EventInbox.InboxEvent;
import io.creatorflow.inventory.sync.OrderPolicy;
import io.creatorflow.inventory.sync.OrderSyncResult;
import io.creatorflow.inventory.sync.OrderSyncResult.Outcome;
import io.creatorflow.inventory.sync.ReconcilePolicy;
import io.creatorflow.inventory.sync.ShopSync;
import io.creatorflow.inventory.sync.WebhookOutcome;
import io.creatorflow.inventory.testkit.tiktok.EmulatedOrder;
import io.creatorflow.inventory.testkit.tiktok.EmulatedProduct;
import io.creatorflow.inventory.testkit.tiktok.EmulatedSku;
import io.creatorflow.inventory.testkit.tiktok.Fault;
import io.creatorflow.inventory.testkit.tiktok.TikTokShopEmulator;
import io.creatorflow.inventory.testkit.tiktok.WebhookDelivery;
import io.creatorflow.inventory.tiktok.TikTokAuthException;
import io.creatorflow.inventory.tiktok.TikTokInvalidRequestException;
import io.creatorflow.inventory.tiktok.TikTokRateLimitedException;
import io.creatorflow.inventory.tiktok.TikTokShopApi;
import io.creatorflow.inventory.tiktok.TikTokShopClient;
import io.creatorflow.inventory.tiktok.TikTokUnavailableException;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookHandler;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookVerifier;
import io.creatorflow.inventory.tiktok.webhook.WebhookResult;
import io.creatorflow.inventory.tiktok.webhook.WebhookVerdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** TikTok webhooks (verified, in the inbox) to order syncs, against the emulator, on manual time. */
@DisplayName("TikTokOrderEvents")
class TikTokOrderEventsTest {
  static final TenantId T = TenantId.of("creator-4");
  static final Sku SKU = Sku.of("MUG");
  static final String PRODUCT = "1729000000000000001";
  static final String SKU_ID = "2729000000000000001";

  final MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final InMemoryStockStore store = new InMemoryStockStore();
  final InventoryEngine engine = InventoryEngine.builder().store(store).clock(clock).build();
  TikTokShopEmulator emu;
  TikTokShopApi api;
  TikTokShopClient client;
  ShopSync sync;
  TikTokOrderEvents events;
  TikTokWebhookHandler handler;
  int delivered;

  @BeforeEach
  void setUp() {
    emu = TikTokShopEmulator.builder().qps(0).clock(clock).start();
    emu.addProduct(EmulatedProduct.active(PRODUCT, clock.instant(), EmulatedSku.of(SKU_ID, "MUG", emu.defaultWarehouseId(), 10)));
    engine.register(ItemDefinition.builder(T, SKU).name("Mug")
        .listing(ShopListing.of(TikTokShopClient.CHANNEL, PRODUCT, SKU_ID)).build());
    engine.adjust(Adjustment.of(T, SKU, 10, "count"));
    api = E2e.api(emu, clock, c -> c.maxAttempts(1));
    client = E2e.client(api, emu);
    sync = ShopSync.builder().engine(engine).tenant(T).shop(client).executor(scheduler)
        .retryable(TikTokOrderEvents::retryable)
        .reconcilePolicy(ReconcilePolicy.builder().noSchedule().build())
        .orderPolicy(OrderPolicy.builder().noPolling().returns(OrderPolicy.ReturnHandling.RESTOCK).build())
        .build();
    sync.start();
    events = TikTokOrderEvents.of(sync, client);
    handler = TikTokWebhookHandler.builder(
            TikTokWebhookVerifier.builder().appKey(emu.appKey()).appSecret(emu.appSecret()).clock(clock).build(), store)
        .tenant(T).clock(clock).build();
  }

  @AfterEach
  void tearDown() {
    sync.closeAsync();
    scheduler.runDue();
    api.close();
    emu.close();
  }

  /** Hands every webhook the emulator sent since the last call to the handler, as a host endpoint would. */
  List<WebhookResult> deliver() {
    List<WebhookResult> out = new ArrayList<>();
    List<WebhookDelivery> all = emu.webhookDeliveries();
    for (; delivered < all.size(); delivered++) {
      WebhookDelivery d = all.get(delivered);
      WebhookResult r = handler.handle(d.body().getBytes(StandardCharsets.UTF_8), d.signature());
      events.record(r);
      out.add(r);
    }
    return out;
  }

  String order(int units) {
    return emu.createOrder(List.of(new EmulatedOrder.Line(PRODUCT, SKU_ID, units)));
  }

  OrderStatus status(String shopOrderId) {
    return engine.order(T, OrderId.of("tiktok:" + shopOrderId)).status();
  }

  @Test
  @DisplayName("drain applies a batch of inbox events with one order call, completes them, and counts duplicates")
  void drain() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(order(1));
      clock.advance(Duration.ofSeconds(1));
    }
    emu.cancelOrder(ids.get(2));
    assertThat(deliver()).extracting(WebhookResult::verdict).containsOnly(WebhookVerdict.ACCEPTED).hasSize(7);

    TikTokOrderEvents.DrainResult r = events.drain(store, 100);
    assertThat(r).isEqualTo(new TikTokOrderEvents.DrainResult(7, 0, 0));
    assertThat(emu.requestCount("/order/{v}/orders")).isEqualTo(1);
    assertThat(store.pending(100)).isEmpty();
    assertThat(status(ids.get(0))).isEqualTo(OrderStatus.RESERVED);
    assertThat(engine.level(T, SKU).reserved()).isEqualTo(4);
    assertThat(engine.order(T, OrderId.of("tiktok:" + ids.get(4))).lines()).containsExactly(OrderLine.of(SKU, 1));
    // the cancelled order was first fetched as CANCELLED: it was never reserved, so nothing was released
    assertThatThrownBy(() -> engine.order(T, OrderId.of("tiktok:" + ids.get(2))))
        .isInstanceOf(io.creatorflow.inventory.UnknownOrderException.class);

    emu.redeliver(emu.webhookDeliveries().get(0).notificationId());
    assertThat(deliver()).extracting(WebhookResult::verdict).containsExactly(WebhookVerdict.DUPLICATE);
    assertThat(events.drain(store, 100)).isEqualTo(new TikTokOrderEvents.DrainResult(0, 0, 0));
    assertThat(sync.stats().webhooks()).containsEntry(WebhookOutcome.ACCEPTED, 7L)
        .containsEntry(WebhookOutcome.DUPLICATE, 1L);
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(emu.totalQuantity(SKU_ID)).isEqualTo(6);
  }

  @Test
  @DisplayName("events whose sync failed stay pending with the reason and succeed on a later drain")
  void failedEventsStayPending() {
    String id = order(2);
    deliver();
    emu.failNext(Fault.SERVER_ERROR);
    assertThat(events.drain(store, 100)).isEqualTo(new TikTokOrderEvents.DrainResult(0, 1, 0));
    List<InboxEvent> pending = store.pending(100);
    assertThat(pending).singleElement().satisfies(e -> {
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(e.lastError()).contains("fetching the order failed");
    });
    assertThat(events.drain(store, 100)).isEqualTo(new TikTokOrderEvents.DrainResult(1, 0, 0));
    assertThat(status(id)).isEqualTo(OrderStatus.RESERVED);
  }

  @Test
  @DisplayName("a completed return restocks once; a lost return webhook is caught by pollReturns")
  void returns() {
    String id = order(2);
    clock.advance(Duration.ofSeconds(1));
    emu.setOrderStatus(id, "DELIVERED");
    deliver();
    events.drain(store, 100);
    assertThat(status(id)).isEqualTo(OrderStatus.FULFILLED);
    assertThat(engine.level(T, SKU).onHand()).isEqualTo(8);

    clock.advance(Duration.ofSeconds(1));
    emu.returnOrder(id, true);
    List<WebhookResult> hooks = deliver();
    assertThat(events.drain(store, 100).processed()).isEqualTo(1);
    assertThat(engine.level(T, SKU).onHand()).isEqualTo(10);
    assertThat(engine.order(T, OrderId.of("tiktok:" + id)).returned()).containsExactly(OrderLine.of(SKU, 2));
    // the same event once more (a host that applies verified events directly): no second restock
    Optional<OrderSyncResult> again = events.apply(hooks.get(0).event());
    assertThat(again).get().extracting(OrderSyncResult::outcome).isEqualTo(Outcome.NO_CHANGE);
    assertThat(engine.level(T, SKU).onHand()).isEqualTo(10);

    // another order, returned while the webhook got lost
    String other = order(1);
    clock.advance(Duration.ofSeconds(1));
    emu.setOrderStatus(other, "DELIVERED");
    clock.advance(Duration.ofSeconds(1));
    emu.returnOrder(other, true);
    delivered = emu.webhookDeliveries().size();
    List<OrderSyncResult> polled = events.pollReturns(clock.instant().minus(Duration.ofMinutes(10)),
        clock.instant().plusSeconds(1));
    assertThat(polled).extracting(OrderSyncResult::outcome).containsExactlyInAnyOrder(Outcome.NO_CHANGE, Outcome.RETURNED);
    assertThat(status(other)).isEqualTo(OrderStatus.FULFILLED);
    assertThat(engine.level(T, SKU).onHand()).isEqualTo(10);
  }

  @Test
  @DisplayName("verified events apply directly; events that are not about orders are left alone")
  void applyVerified() {
    String id = order(3);
    WebhookResult r = deliver().get(0);
    assertThat(events.apply(r.event())).get().extracting(OrderSyncResult::outcome).isEqualTo(Outcome.RESERVED);
    assertThat(events.apply(r.event())).get().extracting(OrderSyncResult::outcome).isEqualTo(Outcome.NO_CHANGE);
    assertThat(status(id)).isEqualTo(OrderStatus.RESERVED);
    assertThat(store.pending(10)).hasSize(1); // recorded by the handler, untouched by apply
    InboxEvent foreign = new InboxEvent(TenantId.of("someone-else"), TikTokWebhookHandler.SOURCE, "x", "{}", clock.instant(),
        0, null);
    assertThat(events.process(store, foreign)).isEmpty();
    store.offer(T, TikTokWebhookHandler.SOURCE, "garbage", "not json", clock.instant());
    assertThat(events.drain(store, 10)).isEqualTo(new TikTokOrderEvents.DrainResult(1, 0, 1));
    assertThat(store.pending(10)).isEmpty();
  }

  @Test
  @DisplayName("TikTok exceptions say whether they are worth retrying; events are only for TikTok syncs")
  void classification() {
    assertThat(TikTokOrderEvents.retryable(new TikTokRateLimitedException("SEARCH", 429, 36009002, null, null, null, null)))
        .isTrue();
    assertThat(TikTokOrderEvents.retryable(new TikTokUnavailableException("SEARCH", 500, -1, null, null, null, null)))
        .isTrue();
    assertThat(TikTokOrderEvents.retryable(new TikTokAuthException("SEARCH", 401, 105002, null, null, null, null)))
        .isFalse();
    assertThat(TikTokOrderEvents.retryable(new TikTokInvalidRequestException("SEARCH", 400, 36009004, null, null)))
        .isFalse();
    assertThat(TikTokOrderEvents.retryable(new InvalidRequestException("bad"))).isFalse();
    assertThat(TikTokOrderEvents.retryable(new StoreUnavailableException("down", null))).isTrue();
    ShopSync other = ShopSync.builder().engine(engine).tenant(T).executor(scheduler)
        .shop(new io.creatorflow.inventory.spi.ShopClient() {
          @Override
          public String channel() {
            return "amazon";
          }

          @Override
          public ShopCatalogPage catalogPage(String pageToken, int pageSize) {
            return client.catalogPage(pageToken, pageSize);
          }

          @Override
          public PushResult pushQuantities(List<ShopQuantity> quantities) {
            return client.pushQuantities(quantities);
          }

          @Override
          public List<ShopOrder> orders(List<String> orderIds) {
            return client.orders(orderIds);
          }

          @Override
          public ShopOrderPage ordersUpdated(Instant from, Instant to, String pageToken) {
            return client.ordersUpdated(from, to, pageToken);
          }
        })
        .reconcilePolicy(ReconcilePolicy.builder().noSchedule().build())
        .orderPolicy(OrderPolicy.builder().noPolling().build()).build();
    assertThatThrownBy(() -> TikTokOrderEvents.of(other, client)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("amazon");
  }
}
