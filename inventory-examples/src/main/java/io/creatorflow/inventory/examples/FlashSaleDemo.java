package io.creatorflow.inventory.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.creatorflow.inventory.Adjustment;
import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.AlertEventType;
import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.InventoryListener;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.UnknownOrderException;
import io.creatorflow.inventory.sync.ReconcileResult;
import io.creatorflow.inventory.sync.ShopSync;
import io.creatorflow.inventory.sync.WebhookOutcome;
import io.creatorflow.inventory.testkit.tiktok.EmulatedOrder;
import io.creatorflow.inventory.testkit.tiktok.TikTokShopEmulator;
import io.creatorflow.inventory.testkit.tiktok.WebhookDelivery;
import io.creatorflow.inventory.tiktok.TikTokShopClient;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * {@code --demo}: a short flash sale on one viral SKU, played against the running service through
 * the TikTok Shop emulator. Everything goes the production way: buyers order in the emulated shop,
 * which sends signed webhooks to the service; the service records, acknowledges and processes them,
 * reserves stock, and pushes the new quantity back to the shop.
 *
 * <ol>
 *   <li>The viral SKU is set to {@link #STOCK} available and the push to the shop awaited.
 *   <li>{@link #BUYERS} buyers order one unit each from 8 threads at once. The shop takes every
 *       order (its quantity lags behind the pushes); the engine accepts exactly as many as it has.
 *   <li>Then TikTok-like noise: redeliveries of webhooks already acknowledged (duplicates), shipment of
 *       some orders followed by late, out-of-order {@code AWAITING_SHIPMENT} notifications for them,
 *       buyer cancellations, and the seller cancelling the orders the shop oversold.
 *   <li>A reconciliation repairs what the shop shows; the summary is printed.
 * </ol>
 *
 * Run it with {@code ./mvnw -q -pl inventory-examples -am compile exec:java -Dexec.args=--demo}.
 */
public final class FlashSaleDemo {
  /** Units available when the sale starts. */
  public static final long STOCK = 50;
  /** Buyers, one unit each. */
  public static final int BUYERS = 120;
  /** Notifications delivered a second time. */
  public static final int DUPLICATES = 15;
  /** Accepted orders shipped, each followed by a late {@code AWAITING_SHIPMENT} notification. */
  public static final int SHIPPED = 10;
  /** Accepted orders cancelled by their buyers. */
  public static final int CANCELLED = 5;
  /** The actor of the demo's own stock changes. */
  public static final String ACTOR = "flash-sale-demo";

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final MediaType JSON = MediaType.get("application/json");

  /**
   * What the sale did.
   *
   * @param sku the viral SKU
   * @param stockBefore units available when the sale started
   * @param ordersPlaced orders placed in the shop
   * @param accepted orders the engine reserved
   * @param rejected orders the engine refused (the shop oversold them)
   * @param duplicates deliveries acknowledged as duplicates, without effect
   * @param lateDeliveries out-of-order notifications delivered after the order had moved on
   * @param shipped orders shipped
   * @param cancelledByBuyers accepted orders cancelled
   * @param cancelledBySeller oversold orders the seller cancelled in the shop
   * @param level the SKU's level at the end
   * @param shopQuantity what the shop shows at the end
   * @param oversold units sold beyond the stock (always 0)
   * @param alertsRaised low-stock and out-of-stock alerts opened for the SKU during the sale
   * @param ledgerConsistent whether replaying the ledger gives every balance
   * @param slowestWebhookAck the slowest order placement, webhook acknowledgement included
   */
  public record Summary(
      Sku sku, long stockBefore, int ordersPlaced, int accepted, int rejected, long duplicates, int lateDeliveries,
      int shipped, int cancelledByBuyers, int cancelledBySeller, StockLevel level, long shopQuantity, long oversold,
      int alertsRaised, boolean ledgerConsistent, Duration slowestWebhookAck) {}

  private FlashSaleDemo() {}

  /**
   * Plays the sale and prints what happens to {@code out}.
   *
   * @throws IllegalStateException if the service does not run against the emulator, or the service
   *     did not process the webhooks within a minute
   */
  public static Summary run(InventoryService service, PrintStream out) throws Exception {
    TikTokShopEmulator shop = service.emulator().orElseThrow(() -> new IllegalStateException(
        "the flash sale demo needs the TikTok Shop emulator (SHOP=emulator)"));
    TenantId tenant = service.tenant();
    InventoryEngine engine = service.engine();
    ShopSync sync = service.sync();
    Sku sku = Sku.of(DemoCatalog.VIRAL_SKU);
    CatalogItem item = engine.item(tenant, sku);
    ShopListing listing = item.listings().stream().filter(l -> l.channel().equals(TikTokShopClient.CHANNEL))
        .findFirst().orElseThrow(() -> new IllegalStateException(sku + " has no TikTok listing"));

    // 1. Stock for the sale.
    StockLevel start = engine.level(tenant, sku);
    if (start.available() != STOCK) {
      engine.adjust(Adjustment.of(tenant, sku, STOCK - start.available(), "flash sale: " + STOCK + " units for the demo")
          .withActor(ACTOR));
    }
    sync.whenIdle().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    out.printf("Flash sale on %s (%s): %d available, the shop shows %d.%n", sku, item.name(), STOCK,
        shop.totalQuantity(listing.skuId()));

    List<AlertEvent> alerts = Collections.synchronizedList(new ArrayList<>());
    long duplicatesBefore = sync.stats().webhooks().getOrDefault(WebhookOutcome.DUPLICATE, 0L);
    ExecutorService buyers = Executors.newFixedThreadPool(8);
    AutoCloseable listener = engine.addListener(new InventoryListener() {
      @Override
      public void onAlerts(List<AlertEvent> events) {
        for (AlertEvent e : events) {
          if (e.type() == AlertEventType.OPENED && e.alert().sku().equals(sku) && e.alert().tenant().equals(tenant)) {
            alerts.add(e);
          }
        }
      }
    });
    try {
      // 2. The burst.
      String runId = Long.toString(System.currentTimeMillis());
      List<String> orderIds = new ArrayList<>();
      for (int i = 0; i < BUYERS; i++) {
        orderIds.add(orderId(runId, i));
      }
      AtomicLong slowest = new AtomicLong();
      List<Future<?>> placed = new ArrayList<>();
      for (String id : orderIds) {
        placed.add(buyers.submit(() -> {
          long t0 = System.nanoTime();
          shop.createOrder(id, List.of(new EmulatedOrder.Line(listing.productId(), listing.skuId(), 1)));
          slowest.accumulateAndGet(System.nanoTime() - t0, Math::max);
        }));
      }
      for (Future<?> f : placed) {
        f.get();
      }
      out.printf("  %d buyers ordered 1 unit each; the shop sent a signed webhook per order (slowest answer %d ms).%n",
          BUYERS, TimeUnit.NANOSECONDS.toMillis(slowest.get()));
      awaitProcessing(service);

      List<String> accepted = new ArrayList<>();
      List<String> rejected = new ArrayList<>();
      for (String id : orderIds) {
        try {
          engine.order(tenant, sync.engineOrderId(id));
          accepted.add(id);
        } catch (UnknownOrderException e) {
          rejected.add(id);
        }
      }
      out.printf("  The engine accepted %d orders and refused %d: the shop oversold them before the pushes caught up.%n",
          accepted.size(), rejected.size());

      // 3. Noise: duplicates, shipments followed by late notifications, cancellations.
      Map<String, WebhookDelivery> created = creationWebhooks(shop, orderIds);
      List<String> shipped = accepted.subList(0, Math.min(SHIPPED, accepted.size()));
      List<String> cancelled = accepted.subList(shipped.size(), Math.min(shipped.size() + CANCELLED, accepted.size()));
      List<Future<?>> noise = new ArrayList<>();
      for (int i = 0; i < DUPLICATES && i < orderIds.size(); i++) {
        WebhookDelivery d = created.get(orderIds.get(i * 7 % orderIds.size()));
        if (d != null) {
          noise.add(buyers.submit(() -> shop.redeliver(d.notificationId())));
        }
      }
      for (String id : shipped) {
        noise.add(buyers.submit(() -> shop.setOrderStatus(id, "IN_TRANSIT")));
      }
      for (String id : cancelled) {
        noise.add(buyers.submit(() -> shop.cancelOrder(id)));
      }
      for (String id : rejected) {
        noise.add(buyers.submit(() -> shop.cancelOrder(id)));
      }
      for (Future<?> f : noise) {
        f.get();
      }
      int late = 0;
      try (LateSender sender = new LateSender(shop, service)) {
        for (String id : shipped) {
          WebhookDelivery original = created.get(id);
          if (original != null && sender.sendLate(original) == 200) {
            late++;
          }
        }
      }
      awaitProcessing(service);
      long duplicates = sync.stats().webhooks().getOrDefault(WebhookOutcome.DUPLICATE, 0L) - duplicatesBefore;
      out.printf("  %d duplicate deliveries were acknowledged without effect; %d late AWAITING_SHIPMENT notifications "
          + "after shipment changed nothing.%n", duplicates, late);
      out.printf("  %d orders shipped, %d cancelled by buyers, %d oversold orders cancelled by the seller.%n",
          shipped.size(), cancelled.size(), rejected.size());

      // 4. The seller's cancellations put units back into the shop's own count: reconcile.
      ReconcileResult reconciled = sync.reconcile().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      sync.whenIdle().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      StockLevel level = engine.level(tenant, sku);
      long shopQuantity = shop.totalQuantity(listing.skuId());
      long oversold = Math.max(0, accepted.size() - STOCK) + Math.max(0, -level.available());
      boolean consistent = engine.verifyLedger(tenant).consistent();
      Summary summary = new Summary(sku, STOCK, orderIds.size(), accepted.size(), rejected.size(), duplicates, late,
          shipped.size(), cancelled.size(), rejected.size(), level, shopQuantity, oversold, alerts.size(), consistent,
          Duration.ofNanos(slowest.get()));
      out.printf("  Final stock of %s: on hand %d, reserved %d, available %d; the shop shows %d after reconciliation "
          + "(%d drifts repaired).%n", sku, level.onHand(), level.reserved(), level.available(), shopQuantity,
          reconciled.repaired());
      out.printf("  Oversold units: %d. Ledger consistent: %s. Alerts raised: %d %s.%n%n", oversold, consistent,
          alerts.size(), alerts.stream().map(e -> e.alert().kind().name().toLowerCase(Locale.ROOT)).toList());
      return summary;
    } finally {
      listener.close();
      buyers.shutdownNow();
    }
  }

  /** 18 digits like TikTok's order ids ("58", the run's milliseconds, the buyer), unique per run. */
  private static String orderId(String runId, int i) {
    return "58" + runId + String.format(Locale.ROOT, "%03d", i);
  }

  private static void awaitProcessing(InventoryService service) throws Exception {
    if (!service.inbox().awaitIdle(WAIT)) {
      throw new IllegalStateException("the service did not process the webhooks within " + WAIT.toSeconds() + " s");
    }
    service.sync().whenIdle().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** The ORDER_STATUS_CHANGE webhook each order's creation sent, by order id. */
  private static Map<String, WebhookDelivery> creationWebhooks(TikTokShopEmulator shop, List<String> orderIds)
      throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    java.util.Set<String> wanted = new java.util.HashSet<>(orderIds);
    Map<String, WebhookDelivery> out = new java.util.HashMap<>();
    for (WebhookDelivery d : shop.webhookDeliveries()) {
      if (d.type() != 1) {
        continue;
      }
      JsonNode data = mapper.readTree(d.body()).path("data");
      String orderId = data.path("order_id").isNumber() ? data.path("order_id").bigIntegerValue().toString()
          : data.path("order_id").asText();
      if (wanted.contains(orderId) && "AWAITING_SHIPMENT".equals(data.path("order_status").asText())) {
        out.putIfAbsent(orderId, d);
      }
    }
    return out;
  }

  /**
   * Sends an old notification again under a new notification id, signed as TikTok signs webhooks:
   * what arrives when a delivery that failed earlier is retried after the order has moved on.
   */
  private static final class LateSender implements AutoCloseable {
    private final TikTokShopEmulator shop;
    private final String url;
    private final OkHttpClient client = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private long counter;

    LateSender(TikTokShopEmulator shop, InventoryService service) {
      this.shop = shop;
      this.url = "http://127.0.0.1:" + service.port() + InventoryService.WEBHOOK_PATH;
    }

    int sendLate(WebhookDelivery original) throws IOException, GeneralSecurityException {
      ObjectNode root = (ObjectNode) mapper.readTree(original.body());
      BigInteger id = new BigInteger(original.notificationId()).add(BigInteger.valueOf(1_000_000_000L + ++counter));
      root.put("tts_notification_id", id.toString());
      byte[] body = mapper.writeValueAsBytes(root);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(shop.appSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update(shop.appKey().getBytes(StandardCharsets.UTF_8));
      String signature = HexFormat.of().formatHex(mac.doFinal(body));
      Request request = new Request.Builder().url(url).header("Authorization", signature)
          .post(RequestBody.create(body, JSON)).build();
      try (Response response = client.newCall(request).execute()) {
        return response.code();
      }
    }

    @Override
    public void close() {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }
}
