package io.creatorflow.inventory.tiktok.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.Adjustment;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.Order;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.OrderStatus;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.UnknownOrderException;
import io.creatorflow.inventory.memory.InMemoryStockStore;
import io.creatorflow.inventory.spi.EventInbox.InboxEvent;
import io.creatorflow.inventory.sync.ChannelPolicy;
import io.creatorflow.inventory.sync.OrderPolicy;
import io.creatorflow.inventory.sync.OrderPollResult;
import io.creatorflow.inventory.sync.OrderSyncResult;
import io.creatorflow.inventory.sync.OrderSyncResult.Outcome;
import io.creatorflow.inventory.sync.PushPolicy;
import io.creatorflow.inventory.sync.RateLimit;
import io.creatorflow.inventory.sync.ReconcilePolicy;
import io.creatorflow.inventory.sync.ShopSync;
import io.creatorflow.inventory.sync.SyncListener;
import io.creatorflow.inventory.sync.WebhookOutcome;
import io.creatorflow.inventory.testkit.tiktok.EmulatedOrder;
import io.creatorflow.inventory.testkit.tiktok.EmulatedProduct;
import io.creatorflow.inventory.testkit.tiktok.EmulatedSku;
import io.creatorflow.inventory.testkit.tiktok.TikTokShopEmulator;
import io.creatorflow.inventory.testkit.tiktok.WebhookDelivery;
import io.creatorflow.inventory.tiktok.TikTokShopApi;
import io.creatorflow.inventory.tiktok.TikTokShopClient;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookHandler;
import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookVerifier;
import io.creatorflow.inventory.tiktok.webhook.WebhookResult;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A flash sale on one SKU against the TikTok Shop emulator, end to end: buyers order on the shop in
 * bursts, TikTok sends signed webhooks to a real HTTP endpoint (verified, recorded in the inbox),
 * some deliveries are lost and some redelivered, the inbox is processed in shuffled order on several
 * threads, sync pushes the engine's quantity back to TikTok through the real client.
 */
@DisplayName("TikTok flash sale, end to end")
class TikTokFlashSaleSyncTest {
  static final TenantId T = TenantId.of("creator-1");
  static final Sku HOODIE = Sku.of("HOODIE-BLK-M");
  static final String PRODUCT = "1729000000000000777";
  static final String SKU_ID = "2729000000000000777";
  static final long STOCK = 100;
  static final long BUFFER = 2;

  final Clock clock = Clock.systemUTC();
  final InMemoryStockStore store = new InMemoryStockStore();
  final InventoryEngine engine = InventoryEngine.builder().store(store).clock(clock).build();
  final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
  final ExecutorService workers = Executors.newFixedThreadPool(4);
  final MockWebServer receiver = new MockWebServer();
  final AtomicInteger deliveries = new AtomicInteger();
  final Set<String> lost = Collections.synchronizedSet(new HashSet<>());
  final Set<String> seen = Collections.synchronizedSet(new HashSet<>());
  final List<OrderSyncResult> results = new CopyOnWriteArrayList<>();
  TikTokShopEmulator emu;
  TikTokShopApi api;
  ShopSync sync;
  TikTokOrderEvents events;
  TikTokWebhookHandler handler;

  @BeforeEach
  void setUp() throws Exception {
    receiver.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        byte[] body = request.getBody().readByteArray();
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        // every 9th first delivery is lost on the way (TikTok thinks it was delivered)
        if (seen.add(text) && deliveries.incrementAndGet() % 9 == 0) {
          lost.add(text);
          return new MockResponse().setResponseCode(200);
        }
        WebhookResult r = handler.handle(body, request.getHeaders().toMultimap());
        events.record(r);
        return new MockResponse().setResponseCode(r.httpStatus());
      }
    });
    receiver.start();
    emu = TikTokShopEmulator.builder().qps(0).webhookUrl(receiver.url("/webhooks/tiktok").toString()).start();
    emu.addProduct(EmulatedProduct.active(PRODUCT, clock.instant(),
        EmulatedSku.of(SKU_ID, "HOODIE-BLK-M", emu.defaultWarehouseId(), 0)));
    api = E2e.api(emu, clock, b -> b.readTimeout(Duration.ofSeconds(5)));
    TikTokShopClient client = E2e.client(api, emu);

    engine.register(ItemDefinition.builder(T, HOODIE).name("Hoodie black M")
        .listing(ShopListing.of(TikTokShopClient.CHANNEL, PRODUCT, SKU_ID)).build());
    engine.adjust(Adjustment.of(T, HOODIE, STOCK, "delivery from the factory"));

    sync = ShopSync.builder().engine(engine).tenant(T).shop(client).executor(executor)
        .channelPolicy(ChannelPolicy.builder().buffer(BUFFER).build())
        .pushPolicy(PushPolicy.builder().coalesceWindow(Duration.ofMillis(20)).rateLimit(RateLimit.perSecond(50)).build())
        .reconcilePolicy(ReconcilePolicy.builder().noSchedule().build())
        .orderPolicy(OrderPolicy.builder().noPolling().build())
        .retryable(TikTokOrderEvents::retryable)
        .listener(new SyncListener() {
          @Override
          public void onOrderSynced(OrderSyncResult result) {
            results.add(result);
          }
        })
        .build();
    events = TikTokOrderEvents.of(sync, client);
    handler = TikTokWebhookHandler.builder(
            TikTokWebhookVerifier.builder().appKey(emu.appKey()).appSecret(emu.appSecret()).clock(clock).build(), store)
        .tenant(T).clock(clock).build();
    sync.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (sync != null) {
      sync.close();
    }
    executor.shutdownNow();
    workers.shutdownNow();
    if (api != null) {
      api.close();
    }
    if (emu != null) {
      emu.close();
    }
    receiver.shutdown();
  }

  long shop() {
    return emu.totalQuantity(SKU_ID);
  }

  StockLevel level() {
    return engine.level(T, HOODIE);
  }

  /** Processes every pending inbox event in shuffled order on four threads, then waits for pushes. */
  void processInbox(Random random) throws Exception {
    List<InboxEvent> pending = new ArrayList<>(store.pending(10_000));
    Collections.shuffle(pending, random);
    List<Future<?>> running = new ArrayList<>();
    for (InboxEvent e : pending) {
      running.add(workers.submit(() -> events.process(store, e)));
    }
    for (Future<?> f : running) {
      f.get(30, TimeUnit.SECONDS);
    }
    sync.whenIdle().get(30, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("bursts of orders, duplicated, lost and out of order: no oversell, each order applied once, "
      + "the shop shows available minus buffer")
  void flashSale() throws Exception {
    Random random = new Random(7);
    assertThat(sync.push(HOODIE).get(10, TimeUnit.SECONDS).status().name()).isEqualTo("ACCEPTED");
    assertThat(shop()).isEqualTo(STOCK - BUFFER);

    Object buyLock = new Object();
    List<String> orders = new CopyOnWriteArrayList<>();
    Map<String, Integer> units = new HashMap<>();
    int redelivered = 0;
    int caughtByPoll = 0;
    for (int round = 0; round < 20 && shop() > 0; round++) {
      // some earlier orders ship, some are cancelled by their buyers (their units go back on sale)
      if (!orders.isEmpty()) {
        String ship = orders.get(random.nextInt(orders.size()));
        if (emu.findOrder(ship).orElseThrow().status().equals("AWAITING_SHIPMENT")) {
          emu.setOrderStatus(ship, "IN_TRANSIT");
        }
        String cancel = orders.get(random.nextInt(orders.size()));
        if (emu.findOrder(cancel).orElseThrow().status().equals("AWAITING_SHIPMENT")) {
          emu.cancelOrder(cancel);
        }
      }
      // a burst: twelve buyers at once; TikTok only sells what it shows (the check and the order are atomic)
      List<Future<?>> buyers = new ArrayList<>();
      for (int b = 0; b < 12; b++) {
        int quantity = 1 + random.nextInt(3);
        buyers.add(workers.submit(() -> {
          synchronized (buyLock) {
            if (shop() >= quantity) {
              String id = emu.createOrder(List.of(new EmulatedOrder.Line(PRODUCT, SKU_ID, quantity)));
              orders.add(id);
              units.put(id, quantity);
            }
          }
        }));
      }
      for (Future<?> f : buyers) {
        f.get(30, TimeUnit.SECONDS);
      }
      // TikTok redelivers a few notifications (as after a timeout on its side)
      List<WebhookDelivery> sent = emu.webhookDeliveries();
      for (int i = 0; i < 3; i++) {
        WebhookDelivery d = sent.get(random.nextInt(sent.size()));
        if (!lost.contains(d.body())) {
          emu.redeliver(d.notificationId());
          redelivered++;
        }
      }
      processInbox(random);
      // the periodic poll (run here between bursts) catches the webhooks that were lost
      OrderPollResult poll = sync.pollOrders().get(30, TimeUnit.SECONDS);
      assertThat(poll.complete()).isTrue();
      caughtByPoll += poll.count(Outcome.RESERVED) + poll.count(Outcome.FULFILLED);
      sync.whenIdle().get(30, TimeUnit.SECONDS);
      StockLevel level = level();
      assertThat(level.available()).isNotNegative();
      assertThat(shop()).as("round %s: after the burst settles the shop shows available minus buffer", round)
          .isEqualTo(Math.max(0, level.available() - BUFFER));
    }
    assertThat(shop()).as("the sale sold out").isZero();
    assertThat(lost).isNotEmpty();
    assertThat(caughtByPoll).as("orders whose webhook was lost, applied by the poll").isPositive();

    StockLevel level = level();
    assertThat(shop()).isEqualTo(Math.max(0, level.available() - BUFFER));
    long reserved = 0;
    long shipped = 0;
    for (String id : orders) {
      EmulatedOrder shopOrder = emu.findOrder(id).orElseThrow();
      Order order = engineOrder(id);
      int n = units.get(id);
      switch (shopOrder.status()) {
        case "AWAITING_SHIPMENT" -> {
          assertThat(order).as("order %s", id).isNotNull();
          assertThat(order.status()).isEqualTo(OrderStatus.RESERVED);
          reserved += n;
        }
        case "IN_TRANSIT" -> {
          assertThat(order.status()).isEqualTo(OrderStatus.FULFILLED);
          shipped += n;
        }
        case "CANCELLED" -> assertThat(order == null || order.status() == OrderStatus.CANCELLED).isTrue();
        default -> throw new AssertionError("unexpected status " + shopOrder.status());
      }
    }
    assertThat(level.reserved()).isEqualTo(reserved);
    assertThat(level.onHand()).isEqualTo(STOCK - shipped);
    assertThat(level.available()).isEqualTo(BUFFER); // everything but the buffer sold

    // every order applied exactly once
    Map<String, Map<MovementType, Integer>> perOrder = new HashMap<>();
    store.forEachMovement(T, HOODIE, m -> {
      if (m.reference() != null && m.reference().startsWith("order:")) {
        perOrder.computeIfAbsent(m.reference(), k -> new EnumMap<>(MovementType.class)).merge(m.type(), 1, Integer::sum);
      }
    });
    assertThat(perOrder.values()).allSatisfy(types -> assertThat(types.values()).allMatch(c -> c == 1));
    List<String> keys = new ArrayList<>();
    store.forEachMovement(T, HOODIE, m -> {
      if (m.idempotencyKey() != null) {
        keys.add(m.idempotencyKey());
      }
    });
    assertThat(keys).doesNotHaveDuplicates().noneMatch(k -> k.startsWith("sys:"));
    assertThat(engine.verifyLedger(T).discrepancies()).isEmpty();
    assertThat(results).noneMatch(r -> r.outcome() == Outcome.OVERSOLD || r.outcome() == Outcome.FAILED
        || r.outcome() == Outcome.CONFLICT || r.outcome() == Outcome.UNMAPPED);
    // each applied outcome happened once per order, and the orders that reserved are exactly those with a RESERVE
    Map<String, Map<Outcome, Integer>> applied = new HashMap<>();
    for (OrderSyncResult r : results) {
      if (r.applied()) {
        applied.computeIfAbsent("order:" + r.engineOrderId(), k -> new EnumMap<>(Outcome.class))
            .merge(r.outcome(), 1, Integer::sum);
      }
    }
    assertThat(applied.values()).allSatisfy(o -> assertThat(o.values()).allMatch(c -> c == 1));
    assertThat(applied.keySet()).containsExactlyInAnyOrderElementsOf(perOrder.entrySet().stream()
        .filter(e -> e.getValue().containsKey(MovementType.RESERVE)).map(Map.Entry::getKey).toList());
    assertThat(sync.stats().webhooks().getOrDefault(WebhookOutcome.DUPLICATE, 0L)).isEqualTo(redelivered);
    assertThat(sync.stats().pushesFailed()).isZero();
    assertThat(sync.health().isUp()).isTrue();
  }

  private Order engineOrder(String shopOrderId) {
    try {
      return engine.order(T, OrderId.of(TikTokShopClient.CHANNEL + ":" + shopOrderId));
    } catch (UnknownOrderException e) {
      return null;
    }
  }
}
