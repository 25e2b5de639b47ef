package io.creatorflow.inventory.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.Order;
import io.creatorflow.inventory.OrderStatus;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.UnknownOrderException;
import io.creatorflow.inventory.examples.TestServices.Client;
import io.creatorflow.inventory.examples.TestServices.Reply;
import io.creatorflow.inventory.sync.WebhookOutcome;
import io.creatorflow.inventory.testkit.tiktok.EmulatedOrder;
import io.creatorflow.inventory.testkit.tiktok.Faults;
import io.creatorflow.inventory.testkit.tiktok.TikTokShopEmulator;
import io.creatorflow.inventory.testkit.tiktok.WebhookDelivery;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook endpoint with real signed webhooks from the emulator: accepted and processed
 * asynchronously, duplicates acknowledged once, forged and malformed ones refused with the verifier's
 * status, and acknowledged events surviving a crash before processing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookTest {
  @TempDir
  static Path dir;

  InventoryService service;
  TikTokShopEmulator shop;
  Client client;
  TenantId tenant;

  @BeforeAll
  void start() throws Exception {
    Map<String, String> env = TestServices.env(dir);
    env.put("RETURNS", "restock");
    service = TestServices.start(env);
    shop = service.emulator().orElseThrow();
    client = new Client(service);
    tenant = service.tenant();
  }

  @AfterAll
  void stop() {
    service.close();
  }

  private ShopListing listing(String sku) {
    CatalogItem item = service.engine().item(tenant, Sku.of(sku));
    return item.listings().get(0);
  }

  private WebhookDelivery lastDelivery() {
    List<WebhookDelivery> all = shop.webhookDeliveries();
    return all.get(all.size() - 1);
  }

  private long count(WebhookOutcome outcome) {
    return service.sync().stats().webhooks().getOrDefault(outcome, 0L);
  }

  private Reply post(byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(service.webhookUrl()).timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build());
  }

  private void awaitProcessed() throws Exception {
    assertThat(service.inbox().awaitIdle(Duration.ofSeconds(20))).as("inbox drained").isTrue();
  }

  @Test
  @DisplayName("a signed order webhook is acknowledged with 200 and reserves the order's stock")
  void signedWebhookReserves() throws Exception {
    ShopListing l = listing("CAP-1-CREAM");
    StockLevel before = service.engine().level(tenant, Sku.of("CAP-1-CREAM"));
    String orderId = shop.createOrder(List.of(new EmulatedOrder.Line(l.productId(), l.skuId(), 2)));
    WebhookDelivery delivery = lastDelivery();
    assertThat(delivery.httpStatus()).isEqualTo(200);
    awaitProcessed();
    Order order = service.engine().order(tenant, service.sync().engineOrderId(orderId));
    assertThat(order.status()).isEqualTo(OrderStatus.RESERVED);
    StockLevel after = service.engine().level(tenant, Sku.of("CAP-1-CREAM"));
    assertThat(after.reserved()).isEqualTo(before.reserved() + 2);
    assertThat(after.onHand()).isEqualTo(before.onHand());

    // A duplicate delivery of the same notification: acknowledged, applied once.
    long duplicates = count(WebhookOutcome.DUPLICATE);
    WebhookDelivery again = shop.redeliver(delivery.notificationId());
    assertThat(again.httpStatus()).isEqualTo(200);
    awaitProcessed();
    assertThat(count(WebhookOutcome.DUPLICATE)).isEqualTo(duplicates + 1);
    assertThat(service.engine().level(tenant, Sku.of("CAP-1-CREAM")).reserved()).isEqualTo(before.reserved() + 2);

    // Shipped, then the old notification arrives late under a new id: the order only moves forward.
    shop.setOrderStatus(orderId, "IN_TRANSIT");
    awaitProcessed();
    assertThat(service.engine().order(tenant, service.sync().engineOrderId(orderId)).status())
        .isEqualTo(OrderStatus.FULFILLED);
    String late = delivery.body().replace(delivery.notificationId(), delivery.notificationId() + "9");
    byte[] lateBody = late.getBytes(StandardCharsets.UTF_8);
    assertThat(post(lateBody, "Authorization", TestServices.sign(shop.appKey(), shop.appSecret(), lateBody)).status())
        .isEqualTo(200);
    awaitProcessed();
    assertThat(service.engine().order(tenant, service.sync().engineOrderId(orderId)).status())
        .isEqualTo(OrderStatus.FULFILLED);
    StockLevel shipped = service.engine().level(tenant, Sku.of("CAP-1-CREAM"));
    assertThat(shipped.onHand()).isEqualTo(before.onHand() - 2);
    assertThat(shipped.reserved()).isEqualTo(before.reserved());

    // The buyer returns the goods (RETURNS=restock): the return webhook puts them back on hand, once.
    shop.returnOrder(orderId, true);
    WebhookDelivery returned = lastDelivery();
    assertThat(returned.type()).isEqualTo(12);
    assertThat(returned.httpStatus()).isEqualTo(200);
    awaitProcessed();
    shop.redeliver(returned.notificationId());
    awaitProcessed();
    assertThat(service.engine().level(tenant, Sku.of("CAP-1-CREAM")).onHand()).isEqualTo(before.onHand());
  }

  @Test
  @DisplayName("TikTok's inventory status webhook makes the service push its own quantity again")
  void inventoryStatusRepushes() throws Exception {
    ShopListing l = listing("BALM-1-MINT");
    long available = service.engine().level(tenant, Sku.of("BALM-1-MINT")).available();
    shop.setQuantity(l.skuId(), shop.defaultWarehouseId(), 0);
    long now = Instant.now().getEpochSecond();
    String body = "{\"type\":27,\"tts_notification_id\":\"7381999" + (System.nanoTime() % 1_000_000_000L)
        + "\",\"shop_id\":\"" + service.shopId() + "\",\"timestamp\":" + now + ",\"data\":{\"product_id\":\""
        + l.productId() + "\",\"sku_id\":\"" + l.skuId() + "\",\"inventory_status\":\"OUT_OF_STOCK\","
        + "\"quantity\":0,\"update_time\":" + now + "}}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    assertThat(post(bytes, "Authorization", TestServices.sign(shop.appKey(), shop.appSecret(), bytes)).status())
        .isEqualTo(200);
    awaitProcessed();
    service.sync().whenIdle().get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(shop.totalQuantity(l.skuId())).isEqualTo(available);
  }

  @Test
  @DisplayName("the answer does not wait for processing: a slow shop does not slow the acknowledgement")
  void acknowledgesBeforeProcessing() throws Exception {
    ShopListing l = listing("TEE-1-L");
    shop.faults(Faults.builder().latency(Duration.ofMillis(1500)).build());
    try {
      long t0 = System.nanoTime();
      String orderId = shop.createOrder(List.of(new EmulatedOrder.Line(l.productId(), l.skuId(), 1)));
      long ackMillis = (System.nanoTime() - t0) / 1_000_000;
      assertThat(lastDelivery().httpStatus()).isEqualTo(200);
      assertThat(ackMillis).as("acknowledged within %d ms", ackMillis).isLessThan(1000);
      boolean reservedAtAck;
      try {
        service.engine().order(tenant, service.sync().engineOrderId(orderId));
        reservedAtAck = true;
      } catch (UnknownOrderException e) {
        reservedAtAck = false;
      }
      assertThat(reservedAtAck).as("processed only after the answer").isFalse();
      awaitProcessed();
      assertThat(service.engine().order(tenant, service.sync().engineOrderId(orderId)).status())
          .isEqualTo(OrderStatus.RESERVED);
    } finally {
      shop.faults(Faults.NONE);
    }
  }

  @Test
  @DisplayName("forged, unsigned and tampered webhooks are refused with 401 and not recorded; a signature is read "
      + "exactly as sent even after one differing only in case on the same connection")
  void forged() throws Exception {
    ShopListing l = listing("TEE-1-M");
    // A genuine notification, captured without delivering it to the service.
    WebhookDelivery genuine = notificationWithoutDelivery(l);
    byte[] body = genuine.body().getBytes(StandardCharsets.UTF_8);
    long rejected = count(WebhookOutcome.REJECTED);

    assertThat(post(body, "Authorization", TestServices.sign(shop.appKey(), "not-the-secret", body)).status())
        .isEqualTo(401);
    assertThat(post(body).status()).isEqualTo(401);
    assertThat(post(body, "Authorization", genuine.signature().toUpperCase(Locale.ROOT)).status()).isEqualTo(401);
    byte[] tampered = genuine.body().replace("AWAITING_SHIPMENT", "CANCEL").getBytes(StandardCharsets.UTF_8);
    assertThat(post(tampered, "Authorization", genuine.signature()).status()).isEqualTo(401);
    Reply twoHeaders = post(body, "Authorization", genuine.signature(), "Authorization", genuine.signature());
    assertThat(twoHeaders.status()).isEqualTo(401);
    assertThat(count(WebhookOutcome.REJECTED)).isEqualTo(rejected + 5);
    assertThat(twoHeaders.body()).isEmpty();

    // Nothing was recorded: the genuine delivery is new, not a duplicate.
    long accepted = count(WebhookOutcome.ACCEPTED);
    assertThat(post(body, "Authorization", genuine.signature()).status()).isEqualTo(200);
    assertThat(count(WebhookOutcome.ACCEPTED)).isEqualTo(accepted + 1);
    awaitProcessed();
  }

  @Test
  @DisplayName("malformed, oversized, foreign and non-POST requests get 400, 413, 200 (ignored) and 405")
  void otherRefusals() throws Exception {
    byte[] garbage = "not a notification".getBytes(StandardCharsets.UTF_8);
    assertThat(post(garbage, "Authorization", TestServices.sign(shop.appKey(), shop.appSecret(), garbage)).status())
        .isEqualTo(400);

    byte[] huge = new byte[300 * 1024];
    java.util.Arrays.fill(huge, (byte) ' ');
    assertThat(post(huge, "Authorization", TestServices.sign(shop.appKey(), shop.appSecret(), huge)).status())
        .isEqualTo(413);

    long ignored = count(WebhookOutcome.IGNORED);
    String foreign = "{\"type\":1,\"tts_notification_id\":\"7380999000000000001\",\"shop_id\":\"123\",\"timestamp\":"
        + Instant.now().getEpochSecond() + ",\"data\":{\"order_id\":\"1\",\"order_status\":\"AWAITING_SHIPMENT\","
        + "\"update_time\":" + Instant.now().getEpochSecond() + "}}";
    byte[] foreignBody = foreign.getBytes(StandardCharsets.UTF_8);
    assertThat(post(foreignBody, "Authorization", TestServices.sign(shop.appKey(), shop.appSecret(), foreignBody))
        .status()).isEqualTo(200);
    assertThat(count(WebhookOutcome.IGNORED)).isEqualTo(ignored + 1);
    assertThat(service.inbox().pendingCount()).isZero();

    Reply get = client.get("webhooks/tiktok");
    assertThat(get.status()).isEqualTo(405);
  }

  /** A notification of this shop signed like TikTok signs it, not delivered yet. */
  private WebhookDelivery notificationWithoutDelivery(ShopListing l) {
    long now = Instant.now().getEpochSecond();
    String orderId = "590000000000000" + (System.nanoTime() % 1000);
    String body = "{\"type\":1,\"tts_notification_id\":\"73809990000" + (System.nanoTime() % 100_000_000)
        + "\",\"shop_id\":\"" + service.shopId() + "\",\"timestamp\":" + now + ",\"data\":{\"is_on_hold_order\":false,"
        + "\"order_id\":\"" + orderId + "\",\"order_status\":\"AWAITING_SHIPMENT\",\"update_time\":" + now + "}}";
    String signature = TestServices.sign(shop.appKey(), shop.appSecret(), body.getBytes(StandardCharsets.UTF_8));
    return new WebhookDelivery("n/a", 1, body, signature, 0, null);
  }

  /**
   * The real-shop configuration (SHOP=tiktok) against an emulator outside the service: an event
   * acknowledged just before the process dies is processed when the next process starts.
   */
  @Test
  @DisplayName("an acknowledged event survives a crash before processing: it is processed at start-up")
  void survivesCrashAfterAck(@TempDir Path data) throws Exception {
    try (TikTokShopEmulator external = TikTokShopEmulator.builder().start()) {
      DemoCatalog.seed(external, 30, Instant.now());
      Map<String, String> env = TestServices.env(data);
      env.put("SHOP", "tiktok");
      env.put("TIKTOK_APP_KEY", external.appKey());
      env.put("TIKTOK_APP_SECRET", external.appSecret());
      env.put("TIKTOK_ACCESS_TOKEN", external.accessToken());
      env.put("TIKTOK_ACCESS_TOKEN_EXPIRES_AT", external.accessTokenExpiresAt().toString());
      env.put("TIKTOK_REFRESH_TOKEN", external.refreshToken());
      env.put("TIKTOK_API_BASE_URL", external.baseUrl());
      env.put("TIKTOK_AUTH_BASE_URL", external.baseUrl());

      String orderId;
      InventoryService first = TestServices.start(env);
      try {
        assertThat(first.emulator()).isEmpty();
        assertThat(first.shopId()).isEqualTo(external.shopId());
        first.inbox().close();   // processing stops here, as if the process died right after answering
        CatalogItem item = first.engine().item(first.tenant(), Sku.of("SOCKS-1-M"));
        ShopListing l = item.listings().get(0);
        orderId = external.createOrder(List.of(new EmulatedOrder.Line(l.productId(), l.skuId(), 3)));
        WebhookDelivery d = external.webhookDeliveries().get(external.webhookDeliveries().size() - 1);
        byte[] body = d.body().getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(first.webhookUrl()).header("Authorization", d.signature())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        assertThat(new Client(first).send(request).status()).isEqualTo(200);
        assertThat(first.inbox().pendingCount()).isEqualTo(1);
      } finally {
        first.close();
      }

      InventoryService second = TestServices.start(env);
      try {
        assertThat(second.inbox().awaitIdle(Duration.ofSeconds(20))).isTrue();
        Order order = second.engine().order(second.tenant(), second.sync().engineOrderId(orderId));
        assertThat(order.status()).isEqualTo(OrderStatus.RESERVED);
        assertThat(order.lines().get(0).quantity()).isEqualTo(3);
        assertThat(second.catalogImport().imported()).isZero();
      } finally {
        second.close();
      }
    }
  }
}
